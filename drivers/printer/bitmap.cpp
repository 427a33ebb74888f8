#include "printer/bitmap.h"

#include <algorithm>

namespace bianmin::drivers::printer {

void Bitmap::fill_rect(int x, int y, int w, int h) {
  for (int yy = std::max(0, y); yy < std::min(height, y + h); ++yy)
    for (int xx = std::max(0, x); xx < std::min(width, x + w); ++xx) dots[static_cast<std::size_t>(yy) * width + xx] = 1;
}

void Bitmap::blit(const Bitmap& src, int x, int y) {
  for (int sy = 0; sy < src.height; ++sy) {
    const int ty = y + sy;
    if (ty < 0 || ty >= height) continue;
    for (int sx = 0; sx < src.width; ++sx) {
      const int tx = x + sx;
      if (tx < 0 || tx >= width) continue;
      if (src.dots[static_cast<std::size_t>(sy) * src.width + sx]) dots[static_cast<std::size_t>(ty) * width + tx] = 1;
    }
  }
}

Bitmap Bitmap::scaled(const Bitmap& src, int sx, int sy) {
  if (sx == 1 && sy == 1) return src;
  Bitmap out(src.width * sx, src.height * sy);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x)
      out.dots[static_cast<std::size_t>(y) * out.width + x] = src.dots[static_cast<std::size_t>(y / sy) * src.width + x / sx];
  return out;
}

std::string Bitmap::pack_rows(int y0, int rows) const {
  const int rb = row_bytes();
  std::string out(static_cast<std::size_t>(rb) * static_cast<std::size_t>(rows), '\0');
  for (int r = 0; r < rows; ++r) {
    const int y = y0 + r;
    if (y < 0 || y >= height) continue;
    for (int x = 0; x < width; ++x)
      if (dots[static_cast<std::size_t>(y) * width + x])
        out[static_cast<std::size_t>(r) * rb + x / 8] =
            static_cast<char>(static_cast<uint8_t>(out[static_cast<std::size_t>(r) * rb + x / 8]) | (0x80u >> (x % 8)));
  }
  return out;
}

bool Bitmap::empty_rows(int y0, int rows) const {
  for (int y = std::max(0, y0); y < std::min(height, y0 + rows); ++y)
    for (int x = 0; x < width; ++x)
      if (dots[static_cast<std::size_t>(y) * width + x]) return false;
  return true;
}

}  // namespace bianmin::drivers::printer
