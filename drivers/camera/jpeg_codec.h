// JPEG through libjpeg-turbo's TurboJPEG API: UVC MJPEG frames in (frames
// from cameras that leave out the Huffman tables decode too: libjpeg-turbo
// supplies the standard ones), pages out.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "camera/image.h"

namespace bianmin::drivers::camera {

struct JpegInfo {
  int width = 0, height = 0;
  bool grey = false;
};
Result<JpegInfo> jpeg_info(std::string_view jpeg);

// Decodes to `channels` (1 grey: no colour conversion, the cheapest; 3 RGB).
// `scale_denom` 1, 2, 4 or 8 decodes at reduced size for previews (the
// IDCT does the scaling, far cheaper than decoding then resizing).
Result<Image> decode_jpeg(std::string_view jpeg, int channels, int scale_denom = 1, bool fast = false);

// Encodes grey (one component) or RGB (4:2:0) at `quality` 1–100; `dpi`
// > 0 is written as the JFIF density so viewers print at the right size.
Result<std::string> encode_jpeg(const Image& im, int quality, int dpi = 0);

}  // namespace bianmin::drivers::camera
