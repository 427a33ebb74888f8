// libFuzzer target: a document camera's frames as V4L2 hands them over
// (v4l2_camera.cpp dequeue → decode_frame): MJPEG bytes, which UVC cameras
// send with or without Huffman tables and often truncated, or packed YUYV
// of the mode's size; decoded to grey or RGB at full size or reduced by
// 2/4/8 in the IDCT (the preview). Image files handed to the simulated
// camera or `scan page --file` (JPEG, PNG, PGM/PPM) take decode_image.
// The page pipeline after decoding is not called: its outline search
// scales every frame to 640 pixels first and costs about a second per
// call under ASan, which would leave the decoders a few runs a minute.
//
// Invariants: no crash; a decoded image has the channels asked for and
// exactly width × height × channels bytes; YUYV and MJPEG decode to the
// size the frame (or the JPEG header) and the scale say (MJPEG rounds up,
// so never to nothing; YUYV picks every scale-th pixel).
//
// Input layout: byte 0 = bits 0–1 source (0 MJPEG, 1 YUYV, 2 image file),
// bit 2 RGB instead of grey, bits 3–4 scale (1, 2, 4, 8); bytes 1–2 width, 3–4 height (LE; YUYV height 0 = as many rows
// as the data holds, the common case); the rest is the buffer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "camera/camera_source.h"
#include "camera/image.h"
#include "camera/jpeg_codec.h"

using namespace bianmin::drivers::camera;

namespace {

void check(const Image& im, int channels) {
  if (im.channels != channels) std::abort();
  if (im.px.size() != static_cast<std::size_t>(im.width) * static_cast<std::size_t>(im.height) *
                          static_cast<std::size_t>(channels))
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 5) return 0;
  const uint8_t mode = data[0];
  const int channels = (mode & 4) ? 3 : 1;
  const int scale = 1 << ((mode >> 3) & 3);
  Frame f;
  f.width = data[1] | (data[2] << 8);
  f.height = data[3] | (data[4] << 8);
  f.data.assign(reinterpret_cast<const char*>(data) + 5, size - 5);

  bianmin::Result<Image> im = bianmin::make_error("image_invalid", "no source");
  switch (mode & 3) {
    case 0: {
      f.format = PixelFormat::mjpeg;
      im = decode_frame(f, channels, scale);
      if (im) {
        // The header alone gives the decoded size (TurboJPEG scales it).
        auto info = jpeg_info(f.data);
        if (!info || im->empty()) std::abort();
        if (im->width != (info->width + scale - 1) / scale || im->height != (info->height + scale - 1) / scale)
          std::abort();
      }
      break;
    }
    case 1: {
      f.format = PixelFormat::yuyv;
      if (f.width > 0 && f.height == 0) f.height = static_cast<int>(f.data.size() / (2 * static_cast<std::size_t>(f.width)));
      im = decode_frame(f, channels, scale);
      if (im && (im->width != f.width / scale || im->height != f.height / scale)) std::abort();
      break;
    }
    default:
      im = decode_image(f.data);
      if (im && channels == 1) im = to_grey(*im);
      break;
  }
  if (!im) return 0;
  const bool file = (mode & 3) >= 2;  // a file keeps its own channels unless grey was asked for
  if (!file || channels == 1) check(*im, channels);
  return 0;
}
