// The box blur works in place (a camera frame is blurred with a few rows of
// scratch): it must give exactly what the textbook definition gives — the
// rounded mean of the (2r+1)² neighbourhood, edges repeated — for every
// radius, channel count and image smaller than the kernel.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "camera/image.h"

namespace bianmin::drivers::camera {
namespace {

// Horizontal then vertical rounded means, clamped at the edges: what the
// blur promises, computed the slow way.
Image reference_blur(const Image& im, int r) {
  const int n = 2 * r + 1;
  Image h = Image::make(im.width, im.height, im.channels);
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x)
      for (int c = 0; c < im.channels; ++c) {
        int sum = 0;
        for (int k = -r; k <= r; ++k) sum += im.at(std::clamp(x + k, 0, im.width - 1), y, c);
        h.at(x, y, c) = static_cast<uint8_t>((sum + n / 2) / n);
      }
  Image v = Image::make(im.width, im.height, im.channels);
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x)
      for (int c = 0; c < im.channels; ++c) {
        int sum = 0;
        for (int k = -r; k <= r; ++k) sum += h.at(x, std::clamp(y + k, 0, im.height - 1), c);
        v.at(x, y, c) = static_cast<uint8_t>((sum + n / 2) / n);
      }
  return v;
}

TEST(BoxBlur, InPlaceEqualsTheDefinitionForEveryRadiusAndShape) {
  std::mt19937 rng(7);
  for (int channels : {1, 3})
    for (int r : {1, 2, 3, 5})
      for (auto [w, h] : {std::pair{1, 1}, std::pair{2, 9}, std::pair{17, 3}, std::pair{40, 31}}) {
        Image im = Image::make(w, h, channels);
        for (auto& p : im.px) p = static_cast<uint8_t>(rng() & 0xff);
        const Image want = reference_blur(im, r);
        EXPECT_EQ(box_blur(im, r).px, want.px) << "copy, r=" << r << " " << w << "x" << h << "x" << channels;
        box_blur_in_place(im, r);
        EXPECT_EQ(im.px, want.px) << "in place, r=" << r << " " << w << "x" << h << "x" << channels;
      }
}

}  // namespace
}  // namespace bianmin::drivers::camera
