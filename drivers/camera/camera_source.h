// Document cameras behind one interface:
//   v4l2:/dev/videoN   a UVC camera through V4L2 (v4l2_camera.cpp)
//   sim:PATH           the simulated camera: plays an image file, or the
//                      image files of a directory in name order
//   sim:synth:SPEC     the simulated camera photographing a synthetic page
//                      (sim_scene.h: "form,seed=3,rot=20,qr=…")
//
// A camera streams a lower-resolution preview (MJPEG where offered: far
// less USB bandwidth than YUYV) and takes full-resolution MJPEG stills.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "camera/image.h"

namespace bianmin::drivers::camera {

enum class PixelFormat { mjpeg, yuyv, rgb, grey };
const char* pixel_format_name(PixelFormat f);

struct Frame {
  PixelFormat format = PixelFormat::mjpeg;
  int width = 0, height = 0;
  std::string data;     // MJPEG bytes, or packed pixels
  uint64_t sequence = 0;
  int64_t time_us = 0;  // monotonic
};

// Decodes any frame to grey (1) or RGB (3); MJPEG through libjpeg-turbo,
// optionally reduced by 2/4/8 in the IDCT.
Result<Image> decode_frame(const Frame& f, int channels, int scale_denom = 1);

struct CameraOptions {
  int preview_width = 1280, preview_height = 720;  // at most; the closest offered mode below
  double preview_fps = 15;
  int still_width = 0, still_height = 0;           // 0: the largest MJPEG mode
  int warmup_frames = 3;  // frames dropped after switching to stills (exposure settles)
};

class CameraSource {
 public:
  virtual ~CameraSource() = default;
  // Errors: "camera_absent" (no such device), "camera_busy", "camera_io",
  // "camera_unsupported" (not a capture device, no usable format).
  virtual Status open() = 0;
  virtual void close() = 0;
  virtual bool is_open() const = 0;
  // Starts the preview stream. "camera_bandwidth" when the USB bus cannot
  // carry any offered preview mode (ENOSPC on STREAMON after fallbacks).
  virtual Status start_preview() = 0;
  // The next preview frame. "camera_unplugged" when the device went away,
  // "camera_timeout" when no frame came in time.
  virtual Result<Frame> next_frame(std::chrono::milliseconds timeout) = 0;
  // One full-resolution still (MJPEG); the preview resumes afterwards.
  virtual Result<Frame> capture_still() = 0;
  // Whether the device node is there now (re-plug polling without opening).
  virtual bool present() const = 0;
  virtual std::string describe() const = 0;
};

struct CameraSpec {
  enum class Kind { v4l2, sim } kind = Kind::sim;
  std::string path;  // device node, image path, or "synth:SPEC"
};
Result<CameraSpec> parse_camera_spec(std::string_view text);
std::unique_ptr<CameraSource> make_camera(const CameraSpec& spec, const CameraOptions& opts);

int64_t monotonic_us();

}  // namespace bianmin::drivers::camera
