// Choosing UVC camera modes (pure, tested without hardware): MJPEG for
// stills (the only way to get 2592×1944 and up over USB 2.0) and for the
// preview; YUYV only when there is no MJPEG. When STREAMON fails with
// ENOSPC (uvcvideo: "Failed to submit URB 0 (-28)", the bus cannot reserve
// the bandwidth the mode asks for) the next candidate is tried: lower frame
// rate, then smaller, then YUYV.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bianmin::drivers::camera {

constexpr uint32_t fourcc(char a, char b, char c, char d) {
  return static_cast<uint32_t>(a) | (static_cast<uint32_t>(b) << 8) | (static_cast<uint32_t>(c) << 16) |
         (static_cast<uint32_t>(d) << 24);
}
constexpr uint32_t kFourccMjpeg = fourcc('M', 'J', 'P', 'G');
constexpr uint32_t kFourccYuyv = fourcc('Y', 'U', 'Y', 'V');
std::string fourcc_name(uint32_t f);

struct V4l2Mode {
  uint32_t fourcc = 0;
  int width = 0, height = 0;
  double fps = 0;  // the highest the camera offers at this size
};

// Candidates for the preview, best first: modes no larger than max_w ×
// max_h, MJPEG before YUYV, larger before smaller; each at want_fps (or the
// mode's own if lower) and then at a lower rate.
struct StreamChoice {
  V4l2Mode mode;
  double fps = 0;
};
std::vector<StreamChoice> preview_candidates(const std::vector<V4l2Mode>& modes, int max_w, int max_h, double want_fps);
// Candidates for stills: the requested size (or the largest) in MJPEG,
// then smaller MJPEG, then YUYV; stills accept low frame rates.
std::vector<StreamChoice> still_candidates(const std::vector<V4l2Mode>& modes, int want_w, int want_h);

}  // namespace bianmin::drivers::camera
