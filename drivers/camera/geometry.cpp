#include "camera/geometry.h"

#include <algorithm>

namespace bianmin::drivers::camera {

double quad_area(const Quad& q) {
  double a = 0;
  for (int i = 0; i < 4; ++i) a += cross(q[static_cast<std::size_t>(i)], q[static_cast<std::size_t>((i + 1) % 4)]);
  return std::abs(a) / 2;
}

bool quad_convex(const Quad& q) {
  int sign = 0;
  for (int i = 0; i < 4; ++i) {
    const Pt a = q[static_cast<std::size_t>(i)], b = q[static_cast<std::size_t>((i + 1) % 4)],
             c = q[static_cast<std::size_t>((i + 2) % 4)];
    const double z = cross(b - a, c - b);
    if (std::abs(z) < 1e-9) return false;
    const int s = z > 0 ? 1 : -1;
    if (sign == 0) sign = s;
    else if (s != sign) return false;
  }
  return true;
}

std::optional<Pt> intersect(const Line& a, const Line& b) {
  const double c1 = std::cos(a.theta), s1 = std::sin(a.theta), c2 = std::cos(b.theta), s2 = std::sin(b.theta);
  const double det = c1 * s2 - s1 * c2;
  if (std::abs(det) < 1e-6) return std::nullopt;
  return Pt{(a.rho * s2 - b.rho * s1) / det, (c1 * b.rho - c2 * a.rho) / det};
}

std::optional<Line> fit_line(const Pt* pts, int n) {
  if (n < 2) return std::nullopt;
  double mx = 0, my = 0;
  for (int i = 0; i < n; ++i) mx += pts[i].x, my += pts[i].y;
  mx /= n;
  my /= n;
  double sxx = 0, syy = 0, sxy = 0;
  for (int i = 0; i < n; ++i) {
    const double dx = pts[i].x - mx, dy = pts[i].y - my;
    sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
  }
  // Normal = eigenvector of the smaller eigenvalue of the scatter matrix.
  const double t = 0.5 * std::atan2(2 * sxy, sxx - syy);  // direction of the line
  const double theta = t + M_PI / 2;
  Line l{theta, mx * std::cos(theta) + my * std::sin(theta)};
  return l;
}

std::optional<Homography> Homography::from(const Quad& src, const Quad& dst) {
  // Solve the 8×8 system for h (m[8] = 1) by Gaussian elimination.
  double a[8][9] = {};
  for (int i = 0; i < 4; ++i) {
    const double x = src[static_cast<std::size_t>(i)].x, y = src[static_cast<std::size_t>(i)].y;
    const double u = dst[static_cast<std::size_t>(i)].x, v = dst[static_cast<std::size_t>(i)].y;
    double* r1 = a[2 * i];
    double* r2 = a[2 * i + 1];
    const double row1[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
    const double row2[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    std::copy(row1, row1 + 9, r1);
    std::copy(row2, row2 + 9, r2);
  }
  for (int c = 0; c < 8; ++c) {
    int piv = c;
    for (int r = c + 1; r < 8; ++r)
      if (std::abs(a[r][c]) > std::abs(a[piv][c])) piv = r;
    if (std::abs(a[piv][c]) < 1e-12) return std::nullopt;
    if (piv != c)
      for (int k = 0; k < 9; ++k) std::swap(a[c][k], a[piv][k]);
    for (int r = 0; r < 8; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (int k = c; k < 9; ++k) a[r][k] -= f * a[c][k];
    }
  }
  Homography h;
  for (int i = 0; i < 8; ++i) h.m[static_cast<std::size_t>(i)] = a[i][8] / a[i][i];
  h.m[8] = 1;
  return h;
}

std::optional<Homography> Homography::inverse() const {
  const auto& a = m;
  const double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) +
                     a[2] * (a[3] * a[7] - a[4] * a[6]);
  if (std::abs(det) < 1e-15) return std::nullopt;
  Homography r;
  r.m = {(a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
         (a[5] * a[6] - a[3] * a[8]) / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
         (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det};
  return r;
}

}  // namespace bianmin::drivers::camera
