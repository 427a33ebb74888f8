// The camera check's measures: light and sharpness of one frame.
#include <gtest/gtest.h>

#include "camera/frame_quality.h"

namespace bianmin::drivers::camera {
namespace {

Image checkerboard(int size, int cell) {
  Image im = Image::make(size, size, 1);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) im.at(x, y) = ((x / cell + y / cell) % 2) ? 220 : 30;
  return im;
}

TEST(FrameQuality, AFlatFrameHasItsGreyAndNoFocus) {
  const FrameQuality q = measure_frame(Image::make(64, 48, 1, 90));
  EXPECT_DOUBLE_EQ(q.brightness, 90.0);
  EXPECT_DOUBLE_EQ(q.focus, 0.0);
}

TEST(FrameQuality, SharpEdgesMeasureFarHigherThanTheSameFrameBlurred) {
  const Image sharp = checkerboard(128, 8);
  const FrameQuality q = measure_frame(sharp);
  EXPECT_NEAR(q.brightness, 125.0, 1.0);
  const FrameQuality blurred = measure_frame(box_blur(box_blur(sharp, 4), 4));
  EXPECT_GT(q.focus, 1000.0);
  EXPECT_LT(blurred.focus, q.focus / 20);
  // Colour frames are measured on their luma.
  EXPECT_NEAR(measure_frame(to_rgb(sharp)).focus, q.focus, q.focus * 0.01);
}

TEST(FrameQuality, AnEmptyFrameMeasuresNothing) {
  const FrameQuality q = measure_frame(Image{});
  EXPECT_EQ(q.brightness, 0.0);
  EXPECT_EQ(q.focus, 0.0);
}

}  // namespace
}  // namespace bianmin::drivers::camera
