// Fuzz target: HID report descriptors (as a scanner reports them) and the
// input reports decoded with the layout they describe (HID POS scanned
// data with continuation, or keyboard reports), plus the serial suffix
// framer on the same bytes. The first byte splits descriptor and reports.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scanner/hid_report.h"
#include "scanner/serial_framer.h"

using namespace bianmin::drivers::scanner;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::size_t split = 1 + data[0] % (size - 1);
  const std::string_view desc(reinterpret_cast<const char*>(data + 1), split - 1);
  const std::string_view rest(reinterpret_cast<const char*>(data + split), size - split);
  auto l = parse_report_descriptor(desc);
  const HidLayout layout = l ? *l : fallback_pos_layout();
  const std::size_t rlen = 1 + (data[0] >> 3) % 64;
  HidPosDecoder pos(layout.pos, 256);
  HidKeyboardDecoder kb(layout.keyboard);
  KeyDecoder keys;
  for (std::size_t i = 0; i < rest.size(); i += rlen) {
    const std::string_view r = rest.substr(i, rlen);
    auto d = pos.feed(r);
    if (d && *d && (*d)->bytes.size() > 256 + 64) __builtin_trap();
    if (auto ev = kb.feed(r, static_cast<int64_t>(i)); ev)
      for (const auto& e : *ev) (void)keys.feed(e);
  }
  (void)aim_to_format(rest.substr(0, 3));
  Suffix s;
  s.kind = static_cast<Suffix::Kind>(data[0] % 6);
  s.byte = data[size - 1];
  SerialFramer f(s, 50'000, 128);
  int64_t t = 0;
  for (std::size_t i = 0; i < rest.size(); i += 7) {
    t += (data[i % size] & 0x3F) * 2000;
    for (const auto& c : f.feed(rest.substr(i, 7), t))
      if (c.bytes.size() > 128) __builtin_trap();
  }
  (void)f.poll(t + 1'000'000);
  return 0;
}
