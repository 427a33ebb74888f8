#include "camera/v4l2_modes.h"

#include <algorithm>

namespace bianmin::drivers::camera {

std::string fourcc_name(uint32_t f) {
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>((f >> (8 * i)) & 0xFF);
    s += (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  return s;
}

namespace {

bool usable(const V4l2Mode& m) { return (m.fourcc == kFourccMjpeg || m.fourcc == kFourccYuyv) && m.width > 0 && m.height > 0; }

}  // namespace

std::vector<StreamChoice> preview_candidates(const std::vector<V4l2Mode>& modes, int max_w, int max_h, double want_fps) {
  std::vector<V4l2Mode> fit;
  for (const auto& m : modes)
    if (usable(m) && m.width <= max_w && m.height <= max_h) fit.push_back(m);
  if (fit.empty()) {
    // Nothing small enough: the smallest there is.
    for (const auto& m : modes)
      if (usable(m)) fit.push_back(m);
    std::sort(fit.begin(), fit.end(), [](const V4l2Mode& a, const V4l2Mode& b) {
      return static_cast<long>(a.width) * a.height < static_cast<long>(b.width) * b.height;
    });
    if (fit.size() > 1) fit.resize(1);
  }
  std::stable_sort(fit.begin(), fit.end(), [](const V4l2Mode& a, const V4l2Mode& b) {
    if ((a.fourcc == kFourccMjpeg) != (b.fourcc == kFourccMjpeg)) return a.fourcc == kFourccMjpeg;
    return static_cast<long>(a.width) * a.height > static_cast<long>(b.width) * b.height;
  });
  std::vector<StreamChoice> out;
  for (const auto& m : fit) {
    const double f = m.fps > 0 ? std::min(m.fps, want_fps) : want_fps;
    out.push_back({m, f});
    if (f > 10) out.push_back({m, std::max(5.0, f / 2)});  // half the rate: half the bandwidth
  }
  return out;
}

std::vector<StreamChoice> still_candidates(const std::vector<V4l2Mode>& modes, int want_w, int want_h) {
  std::vector<V4l2Mode> all;
  for (const auto& m : modes)
    if (usable(m)) all.push_back(m);
  std::stable_sort(all.begin(), all.end(), [&](const V4l2Mode& a, const V4l2Mode& b) {
    if ((a.fourcc == kFourccMjpeg) != (b.fourcc == kFourccMjpeg)) return a.fourcc == kFourccMjpeg;
    if (want_w > 0 && want_h > 0) {
      const bool ea = a.width == want_w && a.height == want_h, eb = b.width == want_w && b.height == want_h;
      if (ea != eb) return ea;
    }
    return static_cast<long>(a.width) * a.height > static_cast<long>(b.width) * b.height;
  });
  std::vector<StreamChoice> out;
  for (const auto& m : all) {
    const double f = m.fps > 0 ? std::min(m.fps, 15.0) : 5.0;
    out.push_back({m, f});
    if (f > 5) out.push_back({m, 5.0});
  }
  return out;
}

}  // namespace bianmin::drivers::camera
