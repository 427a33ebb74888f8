// Fuzz target: the renderer's ESC/POS parser and the paper it draws. A
// stream from anywhere (a file given to `bianmin print render`, bytes sent
// to the simulated printer) must never crash it or make it allocate without
// bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "printer/render/escpos_parser.h"
#include "printer/render/paper.h"

using namespace bianmin::drivers::printer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  // The simulated printer parses a stream in pieces as it arrives.
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const ParseStep s = parse_one(bytes.substr(pos));
    if (!s.complete || s.consumed == 0) break;
    pos += s.consumed;
  }
  RenderOptions o;
  o.width_dots = (data[0] & 1) ? 576 : 384;
  o.font = static_cast<FontSet>((data[0] >> 1) % 3);
  o.chinese_at_power_on = (data[0] & 8) == 0;
  // Short paper keeps every run cheap; the limit itself is exercised.
  // (paper_image() only copies pixels; the render tests cover it.)
  o.max_height_dots = 256;
  const Paper p = render_escpos(bytes, o, nullptr);
  if (p.print.height > o.max_height_dots) __builtin_trap();
  return 0;
}
