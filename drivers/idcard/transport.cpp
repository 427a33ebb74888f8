#include "idcard/transport.h"

#include <charconv>
#include <optional>

#include "idcard/serial_transport.h"
#include "idcard/usb_transport.h"

namespace bianmin::drivers::idcard {
namespace {

std::optional<uint16_t> parse_hex16(std::string_view s) {
  if (s.starts_with("0x") || s.starts_with("0X")) s.remove_prefix(2);
  if (s.empty() || s.size() > 4) return std::nullopt;
  uint16_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Error bad_spec(std::string_view text, std::string_view why) {
  return make_error("input_invalid", "--device \"" + std::string(text) + "\": " + std::string(why) +
                                         " (expected serial:PATH[@BAUD] or usb[:VID:PID])");
}

}  // namespace

std::vector<UsbId> default_usb_ids() { return {{0x0400, 0xC35A}, {0x0316, 0x5020}}; }

Result<DeviceSpec> parse_device_spec(std::string_view text) {
  DeviceSpec d;
  d.text = std::string(text);
  if (text.starts_with("serial:")) {
    std::string_view rest = text.substr(7);
    d.kind = DeviceSpec::Kind::serial;
    const auto at = rest.rfind('@');
    if (at != std::string_view::npos) {
      const std::string_view b = rest.substr(at + 1);
      int baud = 0;
      auto [p, ec] = std::from_chars(b.data(), b.data() + b.size(), baud);
      if (ec != std::errc() || p != b.data() + b.size() || b.empty())
        return bad_spec(text, "baud rate \"" + std::string(b) + "\" is not a number");
      if (!is_supported_baud(baud)) return bad_spec(text, "unsupported baud rate " + std::string(b));
      d.baud = baud;
      rest = rest.substr(0, at);
    }
    if (rest.empty()) return bad_spec(text, "no device path");
    d.path = std::string(rest);
    return d;
  }
  if (text == "usb") {
    d.kind = DeviceSpec::Kind::usb;
    d.usb_ids = default_usb_ids();
    return d;
  }
  if (text.starts_with("usb:")) {
    d.kind = DeviceSpec::Kind::usb;
    std::string_view rest = text.substr(4);
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view one = rest.substr(0, comma);
      const auto colon = one.find(':');
      if (colon == std::string_view::npos) return bad_spec(text, "USB id \"" + std::string(one) + "\" is not VID:PID");
      auto vid = parse_hex16(one.substr(0, colon)), pid = parse_hex16(one.substr(colon + 1));
      if (!vid || !pid) return bad_spec(text, "USB id \"" + std::string(one) + "\" is not hexadecimal VID:PID");
      d.usb_ids.push_back({*vid, *pid});
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    if (d.usb_ids.empty()) return bad_spec(text, "no VID:PID");
    return d;
  }
  return bad_spec(text, "unknown kind");
}

std::unique_ptr<Transport> make_transport(const DeviceSpec& spec) {
  if (spec.kind == DeviceSpec::Kind::usb) return std::make_unique<UsbTransport>(spec.usb_ids);
  return std::make_unique<SerialTransport>(spec.path, spec.baud);
}

}  // namespace bianmin::drivers::idcard
