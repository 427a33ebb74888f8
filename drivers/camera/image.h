// A plain 8-bit image (1 = grey or 3 = RGB channels, rows packed) and the
// few operations the page pipeline and the simulator need. Our own code on
// top of libjpeg-turbo: see README "Dependencies and why" for why not
// OpenCV or Leptonica on a small ARM board.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bianmin::drivers::camera {

struct Image {
  int width = 0, height = 0, channels = 0;
  std::vector<uint8_t> px;

  static Image make(int w, int h, int c, uint8_t fill = 0) {
    Image im;
    im.width = w;
    im.height = h;
    im.channels = c;
    im.px.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * static_cast<std::size_t>(c), fill);
    return im;
  }
  bool empty() const { return width <= 0 || height <= 0 || px.empty(); }
  std::size_t stride() const { return static_cast<std::size_t>(width) * static_cast<std::size_t>(channels); }
  uint8_t* row(int y) { return px.data() + static_cast<std::size_t>(y) * stride(); }
  const uint8_t* row(int y) const { return px.data() + static_cast<std::size_t>(y) * stride(); }
  uint8_t& at(int x, int y, int c = 0) {
    return px[static_cast<std::size_t>(y) * stride() + static_cast<std::size_t>(x) * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)];
  }
  uint8_t at(int x, int y, int c = 0) const {
    return px[static_cast<std::size_t>(y) * stride() + static_cast<std::size_t>(x) * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)];
  }
};

// Rec. 601 luma.
Image to_grey(const Image& im);
Image to_rgb(const Image& im);
// Area-average downscale (any factor ≥ 1) or bilinear when enlarging.
Image resize(const Image& im, int w, int h);
// Rotation by quarter turns clockwise (0–3).
Image rotate_quarter(const Image& im, int quarter_turns);
// Box blur of radius r (separable, twice = roughly Gaussian when applied twice).
Image box_blur(const Image& im, int r);
void box_blur_in_place(Image& im, int r);

// The most pixels any decoder makes an image of, whatever a header claims:
// a 600 dpi A4 page (4961 × 7016, 34.8 Mpx) fits; 40 Mpx RGB is 120 MB,
// which a 2 GB terminal survives. Headers allow 16384 a side (805 MB RGB),
// and a 415-byte JPEG can claim that (found by reading decode_jpeg, see
// README "Fuzzing").
inline constexpr std::size_t kMaxImagePixels = 40'000'000;
Status check_image_size(long long width, long long height);

// Files: JPEG, PNG, PGM/PPM in; JPEG out (see jpeg_codec.h), PNG out.
Result<Image> read_image_file(const std::string& path);
Result<Image> decode_image(std::string_view bytes);
Result<std::string> encode_png(const Image& im, bool bitonal = false, int dpi = 0);
Status write_file(const std::string& path, std::string_view bytes);

}  // namespace bianmin::drivers::camera
