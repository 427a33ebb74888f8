#include "printer/transport.h"

#include <charconv>
#include <cstdio>

namespace bianmin::drivers::printer {
namespace {

std::optional<uint16_t> parse_u16(std::string_view s, int base) {
  unsigned v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size() || v > 0xFFFF) return std::nullopt;
  return static_cast<uint16_t>(v);
}

Error bad(std::string_view text) {
  return make_error("input_invalid", "printer \"" + std::string(text) +
                                         "\" is not usb, usb:VID:PID, dev:PATH, tcp:HOST:PORT or file:PATH");
}

}  // namespace

Result<PrinterAddress> parse_printer_address(std::string_view text) {
  PrinterAddress a;
  if (text == "usb") {
    a.kind = PrinterAddress::Kind::usb;
    return a;
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return bad(text);
  const std::string_view kind = text.substr(0, colon), rest = text.substr(colon + 1);
  if (kind == "usb") {
    const std::size_t c2 = rest.find(':');
    if (c2 == std::string_view::npos) return bad(text);
    auto vid = parse_u16(rest.substr(0, c2), 16), pid = parse_u16(rest.substr(c2 + 1), 16);
    if (!vid || !pid || rest.substr(0, c2).size() > 4 || rest.substr(c2 + 1).size() > 4) return bad(text);
    a.kind = PrinterAddress::Kind::usb;
    a.vid = *vid;
    a.pid = *pid;
    return a;
  }
  if (kind == "dev" || kind == "file") {
    if (rest.empty()) return bad(text);
    a.kind = kind == "dev" ? PrinterAddress::Kind::dev : PrinterAddress::Kind::file;
    a.path = std::string(rest);
    return a;
  }
  if (kind == "tcp") {
    const std::size_t c2 = rest.rfind(':');
    if (c2 == std::string_view::npos || c2 == 0) return bad(text);
    auto port = parse_u16(rest.substr(c2 + 1), 10);
    if (!port || *port == 0) return bad(text);
    a.kind = PrinterAddress::Kind::tcp;
    a.host = std::string(rest.substr(0, c2));
    if (a.host.size() > 2 && a.host.front() == '[' && a.host.back() == ']') a.host = a.host.substr(1, a.host.size() - 2);
    a.port = *port;
    return a;
  }
  return bad(text);
}

std::string describe(const PrinterAddress& a) {
  switch (a.kind) {
    case PrinterAddress::Kind::usb: {
      if (a.vid == 0 && a.pid == 0) return "usb";
      char buf[24];
      std::snprintf(buf, sizeof buf, "usb:%04x:%04x", a.vid, a.pid);
      return buf;
    }
    case PrinterAddress::Kind::dev: return "dev:" + a.path;
    case PrinterAddress::Kind::tcp: return "tcp:" + a.host + ":" + std::to_string(a.port);
    case PrinterAddress::Kind::file: return "file:" + a.path;
  }
  return "?";
}

Result<std::unique_ptr<Transport>> open_transport(const PrinterAddress& a, int timeout_ms) {
  switch (a.kind) {
    case PrinterAddress::Kind::usb: return open_usb_transport(a, timeout_ms);
    case PrinterAddress::Kind::dev: return open_dev_transport(a, timeout_ms);
    case PrinterAddress::Kind::tcp: return open_tcp_transport(a, timeout_ms);
    case PrinterAddress::Kind::file: return open_file_transport(a);
  }
  return make_error("input_invalid", "unknown printer kind");
}

}  // namespace bianmin::drivers::printer
