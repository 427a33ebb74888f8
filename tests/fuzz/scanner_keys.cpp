// Fuzz target: the keyboard-wedge key-sequence decoder (evdev key codes,
// shift/ctrl/alt state, Alt+numpad codes, Enter and the inter-key timeout)
// and the boot-keyboard report path of hidraw. Each 4 input bytes are one
// event: key code (2 bytes, little endian), value, time step in ms.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scanner/hid_report.h"
#include "scanner/key_decoder.h"

using namespace bianmin::drivers::scanner;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  KeyDecoderOptions o;
  o.max_bytes = 24;  // small, so overflow is reached
  o.tab_ends_code = size > 0 && (data[0] & 1);
  KeyDecoder dec(o);
  int64_t t = 0;
  std::size_t total = 0;
  auto check = [&](const TypedCode& c) {
    if (c.bytes.size() > o.max_bytes + 8) __builtin_trap();  // limit holds (one Alt char may straddle)
    total += c.bytes.size();
  };
  for (std::size_t i = 0; i + 4 <= size; i += 4) {
    const uint16_t code = static_cast<uint16_t>(data[i] | (data[i + 1] << 8)) % 0x300;
    const int32_t value = data[i + 2] % 4;
    t += data[i + 3] * 1000;
    for (const auto& c : dec.feed({code, value, t})) check(c);
    if (auto c = dec.poll(t)) check(*c);
  }
  if (auto c = dec.poll(t + 10'000'000)) check(*c);
  // The same bytes as 8-byte boot keyboard reports.
  HidKeyboardDecoder kb(HidKeyboardLayout{});
  KeyDecoder dec2;
  for (std::size_t i = 0; i + 8 <= size; i += 8) {
    auto ev = kb.feed(std::string_view(reinterpret_cast<const char*>(data + i), 8), static_cast<int64_t>(i) * 1000);
    if (!ev) continue;
    for (const auto& e : *ev)
      for (const auto& c : dec2.feed(e)) total += c.bytes.size();
  }
  (void)alt_code_to_utf8(size > 3 ? static_cast<uint32_t>(data[0] | data[1] << 8 | data[2] << 16) : 0);
  (void)total;
  return 0;
}
