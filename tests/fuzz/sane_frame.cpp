// libFuzzer target: what a SANE backend hands the terminal for one page —
// its SANE_Parameters (from sane_get_parameters) and the bytes sane_read
// returned — through frame_to_image (drivers/docscan/sane_frame.h). A
// backend is outside code (often a vendor's binary-only one) and a
// network scanner (saned, eSCL) a stranger on the LAN.
//
// Invariants: no crash; an image comes out only for grey or RGB at depth
// 1 (grey), 8 or 16, with the channels of its format and exactly
// width × height × channels bytes, the width being pixels_per_line, the
// height the lines announced or (lines -1) the whole lines that came;
// lineart comes out as 0 and 255 only.
//
// Input layout: byte 0 format (0–4, SANE_Frame), byte 1 depth, bytes 2–3
// pixels_per_line, 4–5 bytes_per_line, 6–7 lines (uint16 LE; lines 0xFFFF
// = -1, unknown height), byte 8 bit 0 last_frame; the rest is the data.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "docscan/sane_frame.h"

using bianmin::drivers::docscan::frame_to_image;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 9) return 0;
  auto u16 = [&](std::size_t at) { return static_cast<int>(data[at] | (data[at + 1] << 8)); };
  SANE_Parameters p{};
  p.format = static_cast<SANE_Frame>(data[0] % 5);
  p.depth = data[1];
  p.pixels_per_line = u16(2);
  p.bytes_per_line = u16(4);
  p.lines = u16(6) == 0xFFFF ? -1 : u16(6);
  p.last_frame = (data[8] & 1) ? SANE_TRUE : SANE_FALSE;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 9), size - 9);
  auto im = frame_to_image(p, bytes);
  if (!im) return 0;
  const int channels = p.format == SANE_FRAME_RGB ? 3 : 1;
  if (im->channels != channels || im->width != p.pixels_per_line) std::abort();
  if (p.lines >= 0 && im->height != p.lines) std::abort();
  if (p.lines < 0 && static_cast<std::size_t>(im->height) * static_cast<std::size_t>(p.bytes_per_line) != bytes.size())
    std::abort();
  if (im->px.size() != static_cast<std::size_t>(im->width) * static_cast<std::size_t>(im->height) * static_cast<std::size_t>(channels))
    std::abort();
  if (p.depth == 1)
    for (uint8_t v : im->px)
      if (v != 0 && v != 255) std::abort();
  return 0;
}
