// A 1-bit picture as the print head sees it: one byte per dot (0 white,
// 1 black) while it is being drawn, packed MSB-first rows for GS v 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bianmin::drivers::printer {

struct Bitmap {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> dots;  // row-major, width * height, 0 or 1

  Bitmap() = default;
  Bitmap(int w, int h) : width(w), height(h), dots(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0) {}

  bool get(int x, int y) const {
    return x >= 0 && y >= 0 && x < width && y < height && dots[static_cast<std::size_t>(y) * width + x] != 0;
  }
  void set(int x, int y, bool on = true) {
    if (x >= 0 && y >= 0 && x < width && y < height) dots[static_cast<std::size_t>(y) * width + x] = on ? 1 : 0;
  }
  void fill_rect(int x, int y, int w, int h);
  // ORs `src` onto this bitmap at (x, y), clipped.
  void blit(const Bitmap& src, int x, int y);
  // Each dot of `src` becomes a sx × sy block (how printers enlarge fonts).
  static Bitmap scaled(const Bitmap& src, int sx, int sy);
  // Bytes per packed row: width / 8 rounded up.
  int row_bytes() const { return (width + 7) / 8; }
  // Rows [y0, y0 + rows) packed MSB = leftmost dot.
  std::string pack_rows(int y0, int rows) const;
  bool empty_rows(int y0, int rows) const;
};

}  // namespace bianmin::drivers::printer
