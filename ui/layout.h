// Rectangles and the few operations the screens lay themselves out with:
// cut a strip off an edge, split into equal cells, inset.
#pragma once

#include <vector>

namespace bianmin::ui {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;

  float right() const { return x + w; }
  float bottom() const { return y + h; }
  bool contains(float px, float py) const { return px >= x && px < x + w && py >= y && py < y + h; }
  Rect inset(float d) const { return {x + d, y + d, w - 2 * d, h - 2 * d}; }
  Rect inset(float dx, float dy) const { return {x + dx, y + dy, w - 2 * dx, h - 2 * dy}; }

  // Removes a strip from one edge and returns it.
  Rect cut_top(float a);
  Rect cut_bottom(float a);
  Rect cut_left(float a);
  Rect cut_right(float a);
};

// `n` equal cells side by side (columns) or stacked (rows), `gap` apart.
std::vector<Rect> columns(const Rect& r, int n, float gap);
std::vector<Rect> rows(const Rect& r, int n, float gap);
// rows × cols cells, row-major.
std::vector<Rect> grid(const Rect& r, int n_rows, int n_cols, float gap);

}  // namespace bianmin::ui
