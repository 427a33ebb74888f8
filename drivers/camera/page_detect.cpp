// Finding the page on the desk: straight edges (oriented Hough transform on
// a smoothed, reduced frame), quadrilaterals formed by two near-parallel
// pairs of them, scored by how much of their perimeter is real edge, then
// refined at higher resolution by fitting each side to edge points.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <vector>

#include "camera/page_pipeline.h"

namespace bianmin::drivers::camera {
namespace {

constexpr int kWork = 640;  // long side of the detection image
constexpr int kThetaBins = 180;

struct Grad {
  int w = 0, h = 0;
  std::vector<float> mag, ang;  // ang: gradient direction, radians in (-pi, pi]
  float at(int x, int y) const { return mag[static_cast<std::size_t>(y * w + x)]; }
};

Grad gradient(const Image& im) {
  Grad g;
  g.w = im.width;
  g.h = im.height;
  g.mag.assign(static_cast<std::size_t>(g.w * g.h), 0.f);
  g.ang.assign(g.mag.size(), 0.f);
  const int C = im.channels;
  for (int y = 1; y < g.h - 1; ++y) {
    const uint8_t* a = im.row(y - 1);
    const uint8_t* b = im.row(y);
    const uint8_t* c = im.row(y + 1);
    for (int x = 1; x < g.w - 1; ++x) {
      float best = -1, bx = 0, by = 0;
      for (int k = 0; k < C; ++k) {
        const int i0 = (x - 1) * C + k, i1 = x * C + k, i2 = (x + 1) * C + k;
        const float gx = static_cast<float>((a[i2] + 2 * b[i2] + c[i2]) - (a[i0] + 2 * b[i0] + c[i0]));
        const float gy = static_cast<float>((c[i0] + 2 * c[i1] + c[i2]) - (a[i0] + 2 * a[i1] + a[i2]));
        const float m = gx * gx + gy * gy;
        if (m > best) best = m, bx = gx, by = gy;
      }
      const std::size_t i = static_cast<std::size_t>(y * g.w + x);
      g.mag[i] = std::sqrt(best);
      g.ang[i] = std::atan2(by, bx);
    }
  }
  return g;
}

float percentile(std::vector<float> v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

struct Peak {
  Line line;
  int votes;
};

std::vector<Peak> hough_lines(const Grad& g, float thresh, int min_votes) {
  const double diag = std::hypot(g.w, g.h);
  const int R = static_cast<int>(std::ceil(diag));
  const int nr = 2 * R + 1;
  std::vector<int> acc(static_cast<std::size_t>(kThetaBins * nr), 0);
  std::vector<float> cs(kThetaBins), sn(kThetaBins);
  for (int t = 0; t < kThetaBins; ++t) {
    cs[static_cast<std::size_t>(t)] = static_cast<float>(std::cos(t * M_PI / kThetaBins));
    sn[static_cast<std::size_t>(t)] = static_cast<float>(std::sin(t * M_PI / kThetaBins));
  }
  for (int y = 2; y < g.h - 2; ++y)
    for (int x = 2; x < g.w - 2; ++x) {
      const std::size_t i = static_cast<std::size_t>(y * g.w + x);
      const float m = g.mag[i];
      if (m < thresh) continue;
      // Thin: keep only maxima across the edge.
      const float a = g.ang[i];
      const int dx = static_cast<int>(std::lround(std::cos(a))), dy = static_cast<int>(std::lround(std::sin(a)));
      if (m < g.at(x + dx, y + dy) || m < g.at(x - dx, y - dy)) continue;
      double t0 = a < 0 ? a + M_PI : a;  // normal direction modulo pi
      const int tc = static_cast<int>(std::lround(t0 * kThetaBins / M_PI));
      for (int dt = -8; dt <= 8; ++dt) {
        int t = tc + dt;
        int sign = 1;
        if (t < 0) t += kThetaBins, sign = -1;
        if (t >= kThetaBins) t -= kThetaBins, sign = -1;
        const float rho = static_cast<float>(x) * cs[static_cast<std::size_t>(t)] + static_cast<float>(y) * sn[static_cast<std::size_t>(t)];
        (void)sign;
        const int r = static_cast<int>(std::lround(rho)) + R;
        if (r >= 0 && r < nr) ++acc[static_cast<std::size_t>(t * nr + r)];
      }
    }
  // Smooth along rho a little so that slightly curved paper still peaks.
  std::vector<Peak> peaks;
  for (int t = 0; t < kThetaBins; ++t)
    for (int r = 1; r < nr - 1; ++r) {
      const int v = acc[static_cast<std::size_t>(t * nr + r)];
      if (v < min_votes) continue;
      bool is_max = true;
      for (int dt = -2; dt <= 2 && is_max; ++dt)
        for (int dr = -2; dr <= 2; ++dr) {
          if (!dt && !dr) continue;
          int tt = t + dt, rr = r + dr;
          if (tt < 0) tt += kThetaBins, rr = 2 * R - rr;
          if (tt >= kThetaBins) tt -= kThetaBins, rr = 2 * R - rr;
          if (rr < 0 || rr >= nr) continue;
          const int o = acc[static_cast<std::size_t>(tt * nr + rr)];
          if (o > v || (o == v && (dt < 0 || (dt == 0 && dr < 0)))) {
            is_max = false;
            break;
          }
        }
      if (is_max) peaks.push_back({Line{t * M_PI / kThetaBins, static_cast<double>(r - R)}, v});
    }
  std::sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) { return a.votes > b.votes; });
  std::vector<Peak> out;
  for (const auto& p : peaks) {
    bool near = false;
    for (const auto& q : out) {
      double dth = std::abs(p.line.theta - q.line.theta);
      double dr = std::abs(p.line.rho - q.line.rho);
      if (dth > M_PI / 2) dth = M_PI - dth, dr = std::abs(p.line.rho + q.line.rho);
      if (dth < 3 * M_PI / 180 && dr < 8) near = true;
    }
    if (!near) out.push_back(p);
    if (out.size() >= 32) break;
  }
  return out;
}

// Fraction of the side a→b that lies on an edge across the side.
double side_support(const Grad& g, Pt a, Pt b, float thresh) {
  const double len = dist(a, b);
  if (len < 4) return 0;
  const Pt d = (b - a) * (1 / len);
  const Pt n{-d.y, d.x};
  const int samples = std::max(8, static_cast<int>(len / 2));
  int hit = 0, total = 0;
  for (int i = 0; i < samples; ++i) {
    const double t = 0.04 + 0.92 * (i + 0.5) / samples;
    const Pt p = a + (b - a) * t;
    ++total;
    bool ok = false;
    for (int o = -2; o <= 2 && !ok; ++o) {
      const int x = static_cast<int>(std::lround(p.x + n.x * o)), y = static_cast<int>(std::lround(p.y + n.y * o));
      if (x < 1 || y < 1 || x >= g.w - 1 || y >= g.h - 1) continue;
      const std::size_t k = static_cast<std::size_t>(y * g.w + x);
      if (g.mag[k] < thresh) continue;
      const double c = std::cos(g.ang[k]) * n.x + std::sin(g.ang[k]) * n.y;
      if (std::abs(c) > 0.9) ok = true;
    }
    hit += ok;
  }
  return static_cast<double>(hit) / total;
}

// TL, TR, BR, BL: clockwise from the corner that makes the smallest rotation.
Quad order_upright(Quad q) {
  Pt c{0, 0};
  for (auto& p : q) c = c + p * 0.25;
  std::sort(q.begin(), q.end(), [&](Pt a, Pt b) { return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x); });
  int best = 0;
  double best_abs = 1e9;
  for (int r = 0; r < 4; ++r) {
    const Pt a = q[static_cast<std::size_t>(r)], b = q[static_cast<std::size_t>((r + 1) % 4)];
    const double ang = std::abs(std::atan2(b.y - a.y, b.x - a.x));
    if (ang < best_abs) best_abs = ang, best = r;
  }
  Quad out;
  for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = q[static_cast<std::size_t>((best + i) % 4)];
  return out;
}

// Refines each side on a finer grey image: edge points across the side,
// a least-squares line through them, corners from the lines.
Quad refine(const Image& grey, const Quad& q, int reach) {
  Line lines[4];
  for (int s = 0; s < 4; ++s) {
    const Pt a = q[static_cast<std::size_t>(s)], b = q[static_cast<std::size_t>((s + 1) % 4)];
    const double len = dist(a, b);
    const Pt d = (b - a) * (1 / len);
    const Pt n{-d.y, d.x};
    std::vector<Pt> pts;
    const int samples = std::clamp(static_cast<int>(len / 6), 16, 160);
    for (int i = 0; i < samples; ++i) {
      const Pt p = a + (b - a) * (0.08 + 0.84 * (i + 0.5) / samples);
      std::vector<float> prof(static_cast<std::size_t>(2 * reach + 3));
      bool inside = true;
      for (int o = -reach - 1; o <= reach + 1; ++o) {
        const Pt r = p + n * o;
        const int x = static_cast<int>(std::lround(r.x)), y = static_cast<int>(std::lround(r.y));
        if (x < 0 || y < 0 || x >= grey.width || y >= grey.height) {
          inside = false;
          break;
        }
        prof[static_cast<std::size_t>(o + reach + 1)] = grey.at(x, y);
      }
      if (!inside) continue;
      int best = 0;
      float bestv = 0;
      for (int o = -reach; o <= reach; ++o) {
        const float dv = std::abs(prof[static_cast<std::size_t>(o + reach + 2)] - prof[static_cast<std::size_t>(o + reach)]);
        if (dv > bestv) bestv = dv, best = o;
      }
      if (bestv < 12) continue;
      // Sub-pixel: parabola through the derivative around the maximum.
      double sub = best;
      if (best > -reach && best < reach) {
        auto at = [&](int k) { return prof[static_cast<std::size_t>(k + reach)]; };
        const float l = std::abs(at(best + 1) - at(best - 1));
        const float r = std::abs(at(best + 3) - at(best + 1));
        const double den = l - 2 * bestv + r;
        if (std::abs(den) > 1e-6) sub = best + std::clamp(0.5 * (l - r) / den, -0.5, 0.5);
      }
      pts.push_back(p + n * sub);
    }
    auto line = fit_line(pts.data(), static_cast<int>(pts.size()));
    if (!line || pts.size() < 8) return q;
    // Drop outliers (text or a finger at the edge) and fit again.
    std::vector<Pt> keep;
    for (const auto& p : pts)
      if (std::abs(line->distance(p)) < 1.5) keep.push_back(p);
    if (keep.size() >= pts.size() / 2 && keep.size() >= 8) line = fit_line(keep.data(), static_cast<int>(keep.size()));
    if (!line) return q;
    lines[s] = *line;
  }
  Quad out;
  for (int i = 0; i < 4; ++i) {
    auto p = intersect(lines[(i + 3) % 4], lines[i]);
    if (!p || dist(*p, q[static_cast<std::size_t>(i)]) > 2.0 * reach) return q;
    out[static_cast<std::size_t>(i)] = *p;
  }
  return out;
}

}  // namespace

std::optional<Outline> find_page_outline(const Image& frame) {
  if (frame.empty()) return std::nullopt;
  const double s = static_cast<double>(kWork) / std::max(frame.width, frame.height);
  const int ww = std::max(16, static_cast<int>(std::lround(frame.width * s)));
  const int wh = std::max(16, static_cast<int>(std::lround(frame.height * s)));
  Image small = resize(frame, ww, wh);
  small = box_blur(box_blur(small, 2), 2);  // text strokes melt into grey; page edges stay steps
  const Grad g = gradient(small);
  const float thresh = std::max(6.f, 0.3f * percentile(g.mag, 0.985));
  const int min_side = std::min(ww, wh);
  const auto lines = hough_lines(g, thresh, std::max(16, min_side / 16));

  const double img_area = static_cast<double>(ww) * wh;
  const bool dbg = std::getenv("BIANMIN_DEBUG_OUTLINE") != nullptr;
  if (dbg) {
    std::fprintf(stderr, "thresh %.1f lines %zu\n", thresh, lines.size());
    for (const auto& l : lines) std::fprintf(stderr, "  theta %.1f rho %.1f votes %d\n", l.line.theta * 180 / M_PI, l.line.rho, l.votes);
    if (const char* tq = std::getenv("BIANMIN_DEBUG_QUAD")) {
      Quad t;
      std::sscanf(tq, "%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &t[0].x, &t[0].y, &t[1].x, &t[1].y, &t[2].x, &t[2].y, &t[3].x, &t[3].y);
      for (int e = 0; e < 4; ++e)
        std::fprintf(stderr, "  true side %d support %.2f\n", e,
                     side_support(g, t[static_cast<std::size_t>(e)] * s, t[static_cast<std::size_t>((e + 1) % 4)] * s, thresh * 0.7f));
    }
  }
  std::optional<Outline> best;
  const double tol = 0.06 * min_side;
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      const Line &a1 = lines[i].line, &a2 = lines[j].line;
      double d1 = std::abs(a1.theta - a2.theta);
      if (d1 > M_PI / 2) d1 = M_PI - d1;
      if (d1 > 25 * M_PI / 180) continue;
      for (std::size_t k = 0; k < lines.size(); ++k) {
        if (k == i || k == j) continue;
        for (std::size_t l = k + 1; l < lines.size(); ++l) {
          if (l == i || l == j) continue;
          if (k < i) continue;  // each pair of pairs once
          const Line &b1 = lines[k].line, &b2 = lines[l].line;
          double d2 = std::abs(b1.theta - b2.theta);
          if (d2 > M_PI / 2) d2 = M_PI - d2;
          if (d2 > 25 * M_PI / 180) continue;
          double cross_ang = std::abs(a1.theta - b1.theta);
          if (cross_ang > M_PI / 2) cross_ang = M_PI - cross_ang;
          if (cross_ang < 60 * M_PI / 180) continue;
          auto p1 = intersect(a1, b1), p2 = intersect(a1, b2), p3 = intersect(a2, b2), p4 = intersect(a2, b1);
          if (!p1 || !p2 || !p3 || !p4) continue;
          Quad q{*p1, *p2, *p3, *p4};
          bool in = true;
          for (const auto& p : q)
            if (p.x < -tol || p.y < -tol || p.x > ww + tol || p.y > wh + tol) in = false;
          if (!in || !quad_convex(q)) continue;
          const double area = quad_area(q);
          if (area < 0.01 * img_area) continue;
          double score = 0, worst = 1;
          for (int e = 0; e < 4 && worst >= 0.65; ++e) {
            const Pt a = q[static_cast<std::size_t>(e)], b = q[static_cast<std::size_t>((e + 1) % 4)];
            const double sup = side_support(g, a, b, thresh * 0.7f);
            worst = std::min(worst, sup);
            score += dist(a, b) * sup * sup;
          }
          if (worst < 0.65) continue;
          score *= worst * worst;  // a quad that runs past the page along one side loses
          if (!best || score > best->score) best = Outline{q, score};
        }
      }
    }
  if (!best) return std::nullopt;
  // Back to frame pixels, then refine on a half-size grey frame.
  Quad q = order_upright(best->quad);
  const int rw = std::min(frame.width, 1400);
  const double rs = static_cast<double>(rw) / frame.width;
  const Image fine = box_blur(to_grey(resize(frame, rw, std::max(1, static_cast<int>(std::lround(frame.height * rs))))), 1);
  for (auto& p : q) p = p * (rs / s);
  q = refine(fine, q, 12);  // the Hough line is good to a degree; close in twice
  q = refine(fine, q, 5);
  for (auto& p : q) p = p * (1 / rs);
  best->quad = q;
  return best;
}

}  // namespace bianmin::drivers::camera
