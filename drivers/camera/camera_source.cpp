#include "camera/camera_source.h"

#include <algorithm>
#include <string>

#include "camera/jpeg_codec.h"
#include "camera/sim_camera.h"
#include "camera/v4l2_camera.h"

namespace bianmin::drivers::camera {

const char* pixel_format_name(PixelFormat f) {
  switch (f) {
    case PixelFormat::mjpeg: return "MJPEG";
    case PixelFormat::yuyv: return "YUYV";
    case PixelFormat::rgb: return "RGB";
    case PixelFormat::grey: return "GREY";
  }
  return "?";
}

Result<Image> decode_frame(const Frame& f, int channels, int scale_denom) {
  switch (f.format) {
    case PixelFormat::mjpeg: {
      // A frame is never larger than the mode the camera agreed to; a
      // damaged one may claim anything in its header (a 415-byte frame
      // claiming 16384 × 16384 made us allocate 805 MB), so the header is
      // checked before the decoder reserves the picture.
      BIANMIN_ASSIGN(JpegInfo info, jpeg_info(f.data));
      if (f.width <= 0 || f.height <= 0 || info.width > f.width || info.height > f.height)
        return make_error("image_invalid", "MJPEG frame of " + std::to_string(info.width) + " x " +
                                               std::to_string(info.height) + " is larger than the camera's mode " +
                                               std::to_string(f.width) + " x " + std::to_string(f.height));
      return decode_jpeg(f.data, channels, scale_denom, scale_denom > 1);
    }
    case PixelFormat::yuyv: {
      const std::size_t need = static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height) * 2;
      if (f.width <= 0 || f.height <= 0 || f.data.size() < need) return make_error("image_invalid", "short YUYV frame");
      // YUYV carries pixels in pairs sharing U and V: with an odd width the
      // last pixel's V would be read past the row, and past the buffer on
      // the last row (found by fuzz_camera_frame).
      if (f.width % 2 != 0) return make_error("image_invalid", "YUYV frame of odd width");
      const int step = std::max(1, scale_denom);
      Image im = Image::make(f.width / step, f.height / step, channels == 1 ? 1 : 3);
      const auto* p = reinterpret_cast<const uint8_t*>(f.data.data());
      for (int y = 0; y < im.height; ++y) {
        const uint8_t* row = p + static_cast<std::size_t>(y * step) * static_cast<std::size_t>(f.width) * 2;
        for (int x = 0; x < im.width; ++x) {
          const int sx = x * step;
          const uint8_t* px = row + (sx & ~1) * 2;  // Y0 U Y1 V
          const int Y = row[sx * 2];
          if (im.channels == 1) {
            im.at(x, y) = static_cast<uint8_t>(Y);
            continue;
          }
          const int U = px[1] - 128, V = px[3] - 128;
          const int c = Y - 16;
          auto clip = [](int v) { return static_cast<uint8_t>(std::clamp(v, 0, 255)); };
          im.at(x, y, 0) = clip((298 * c + 409 * V + 128) >> 8);
          im.at(x, y, 1) = clip((298 * c - 100 * U - 208 * V + 128) >> 8);
          im.at(x, y, 2) = clip((298 * c + 516 * U + 128) >> 8);
        }
      }
      return im;
    }
    case PixelFormat::rgb:
    case PixelFormat::grey: {
      const int c = f.format == PixelFormat::rgb ? 3 : 1;
      Image im = Image::make(f.width, f.height, c);
      if (f.data.size() < im.px.size()) return make_error("image_invalid", "short frame");
      std::copy_n(f.data.begin(), im.px.size(), im.px.begin());
      Image out = channels == 1 ? to_grey(im) : to_rgb(im);
      if (scale_denom > 1) out = resize(out, out.width / scale_denom, out.height / scale_denom);
      return out;
    }
  }
  return make_error("image_invalid", "unknown frame format");
}

std::unique_ptr<CameraSource> make_camera(const CameraSpec& spec, const CameraOptions& opts) {
  if (spec.kind == CameraSpec::Kind::v4l2) return std::make_unique<V4l2Camera>(spec.path, opts);
  return std::make_unique<SimCamera>(spec.path, opts);
}

}  // namespace bianmin::drivers::camera
