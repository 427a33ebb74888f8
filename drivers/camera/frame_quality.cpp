#include "camera/frame_quality.h"

namespace bianmin::drivers::camera {

FrameQuality measure_frame(const Image& im) {
  FrameQuality q;
  if (im.empty()) return q;
  const Image grey = im.channels == 1 ? im : to_grey(im);
  double sum = 0;
  for (uint8_t v : grey.px) sum += v;
  q.brightness = sum / static_cast<double>(grey.px.size());
  if (grey.width < 3 || grey.height < 3) return q;
  // Welford's running mean and variance: one pass, no large sums.
  double mean = 0, m2 = 0;
  long n = 0;
  for (int y = 1; y + 1 < grey.height; ++y)
    for (int x = 1; x + 1 < grey.width; ++x) {
      const double lap = static_cast<double>(grey.at(x - 1, y) + grey.at(x + 1, y) + grey.at(x, y - 1) +
                                             grey.at(x, y + 1)) -
                         4.0 * grey.at(x, y);
      ++n;
      const double d = lap - mean;
      mean += d / static_cast<double>(n);
      m2 += d * (lap - mean);
    }
  q.focus = m2 / static_cast<double>(n);
  return q;
}

}  // namespace bianmin::drivers::camera
