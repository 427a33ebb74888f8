// How usable one camera frame is for photographing materials: its light
// and its sharpness. `bianmin diagnose` judges a camera by them.
#pragma once

#include "camera/image.h"

namespace bianmin::drivers::camera {

struct FrameQuality {
  double brightness = 0;  // mean grey level, 0–255
  // Variance of the 4-neighbour Laplacian of the grey frame: edges of print
  // give large second differences, a blurred picture has none.
  double focus = 0;
};

// `im` grey or RGB; an empty image measures 0 / 0.
FrameQuality measure_frame(const Image& im);

}  // namespace bianmin::drivers::camera
