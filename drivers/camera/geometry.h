// Plane geometry for the page pipeline and the simulator: points, lines,
// and the homography that maps a photographed page back to a rectangle.
#pragma once

#include <array>
#include <cmath>
#include <optional>

namespace bianmin::drivers::camera {

struct Pt {
  double x = 0, y = 0;
};
inline Pt operator+(Pt a, Pt b) { return {a.x + b.x, a.y + b.y}; }
inline Pt operator-(Pt a, Pt b) { return {a.x - b.x, a.y - b.y}; }
inline Pt operator*(Pt a, double s) { return {a.x * s, a.y * s}; }
inline double dist(Pt a, Pt b) { return std::hypot(a.x - b.x, a.y - b.y); }
inline double cross(Pt a, Pt b) { return a.x * b.y - a.y * b.x; }

// Corners of a page: top-left, top-right, bottom-right, bottom-left, as the
// page is read (upright).
using Quad = std::array<Pt, 4>;

double quad_area(const Quad& q);
bool quad_convex(const Quad& q);

// A line as n·p = rho with unit normal n = (cos t, sin t).
struct Line {
  double theta = 0, rho = 0;
  Pt normal() const { return {std::cos(theta), std::sin(theta)}; }
  double distance(Pt p) const { return p.x * std::cos(theta) + p.y * std::sin(theta) - rho; }
};
std::optional<Pt> intersect(const Line& a, const Line& b);
// Least-squares line through points (total least squares).
std::optional<Line> fit_line(const Pt* pts, int n);

struct Homography {
  std::array<double, 9> m{1, 0, 0, 0, 1, 0, 0, 0, 1};
  Pt apply(Pt p) const {
    const double w = m[6] * p.x + m[7] * p.y + m[8];
    return {(m[0] * p.x + m[1] * p.y + m[2]) / w, (m[3] * p.x + m[4] * p.y + m[5]) / w};
  }
  // The homography taking src[i] to dst[i]; nullopt when degenerate.
  static std::optional<Homography> from(const Quad& src, const Quad& dst);
  std::optional<Homography> inverse() const;
};

}  // namespace bianmin::drivers::camera
