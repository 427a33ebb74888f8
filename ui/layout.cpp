#include "layout.h"

#include <algorithm>

namespace bianmin::ui {

Rect Rect::cut_top(float a) {
  a = std::clamp(a, 0.0f, h);
  Rect r{x, y, w, a};
  y += a;
  h -= a;
  return r;
}
Rect Rect::cut_bottom(float a) {
  a = std::clamp(a, 0.0f, h);
  h -= a;
  return {x, y + h, w, a};
}
Rect Rect::cut_left(float a) {
  a = std::clamp(a, 0.0f, w);
  Rect r{x, y, a, h};
  x += a;
  w -= a;
  return r;
}
Rect Rect::cut_right(float a) {
  a = std::clamp(a, 0.0f, w);
  w -= a;
  return {x + w, y, a, h};
}

std::vector<Rect> columns(const Rect& r, int n, float gap) {
  std::vector<Rect> out;
  if (n <= 0) return out;
  const float cw = (r.w - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
  for (int i = 0; i < n; ++i) out.push_back({r.x + static_cast<float>(i) * (cw + gap), r.y, cw, r.h});
  return out;
}

std::vector<Rect> rows(const Rect& r, int n, float gap) {
  std::vector<Rect> out;
  if (n <= 0) return out;
  const float rh = (r.h - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
  for (int i = 0; i < n; ++i) out.push_back({r.x, r.y + static_cast<float>(i) * (rh + gap), r.w, rh});
  return out;
}

std::vector<Rect> grid(const Rect& r, int n_rows, int n_cols, float gap) {
  std::vector<Rect> out;
  for (const Rect& row : rows(r, n_rows, gap))
    for (const Rect& cell : columns(row, n_cols, gap)) out.push_back(cell);
  return out;
}

}  // namespace bianmin::ui
