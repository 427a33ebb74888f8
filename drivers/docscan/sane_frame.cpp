#include "docscan/sane_frame.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace bianmin::drivers::docscan {
namespace {

Error invalid(const std::string& what) { return make_error("scanner_frame_invalid", "scanner frame: " + what); }

int channels_of(SANE_Frame f) { return f == SANE_FRAME_RGB ? 3 : 1; }

// One line of samples at `depth` bits to 8-bit samples.
void convert_line(const uint8_t* in, uint8_t* out, std::size_t samples, int depth) {
  if (depth == 8) {
    std::memcpy(out, in, samples);
  } else if (depth == 16) {
    // Host byte order (SANE standard 4.3.8): read the sample as uint16_t.
    for (std::size_t i = 0; i < samples; ++i) {
      uint16_t v;
      std::memcpy(&v, in + 2 * i, 2);
      out[i] = static_cast<uint8_t>(v >> 8);
    }
  } else {
    // Lineart: 8 pixels a byte, most significant bit first, 1 = black.
    for (std::size_t i = 0; i < samples; ++i) out[i] = (in[i / 8] >> (7 - i % 8)) & 1 ? 0 : 255;
  }
}

}  // namespace

long long packed_line_bytes(const SANE_Parameters& p) {
  if (p.format != SANE_FRAME_GRAY && p.format != SANE_FRAME_RGB) return 0;
  if (p.depth != 1 && p.depth != 8 && p.depth != 16) return 0;
  if (p.format == SANE_FRAME_RGB && p.depth == 1) return 0;
  if (p.pixels_per_line <= 0) return 0;
  const long long samples = static_cast<long long>(p.pixels_per_line) * channels_of(p.format);
  return (samples * p.depth + 7) / 8;
}

Result<camera::Image> frame_to_image(const SANE_Parameters& p, std::string_view bytes) {
  if (p.format == SANE_FRAME_RED || p.format == SANE_FRAME_GREEN || p.format == SANE_FRAME_BLUE)
    return make_error("scanner_unsupported", "three-pass colour scanners (one frame per colour) are not supported");
  if (p.format != SANE_FRAME_GRAY && p.format != SANE_FRAME_RGB)
    return make_error("scanner_unsupported", "scanner frame format " + std::to_string(p.format) + " is not grey or RGB");
  if (p.depth != 1 && p.depth != 8 && p.depth != 16)
    return make_error("scanner_unsupported", "scanner depth of " + std::to_string(p.depth) + " bits is not supported");
  if (p.format == SANE_FRAME_RGB && p.depth == 1)
    return make_error("scanner_unsupported", "1-bit colour (8 colours) is not supported: scan in colour or grey");
  if (p.pixels_per_line <= 0) return invalid("no pixels per line");
  const long long need = packed_line_bytes(p);
  if (p.bytes_per_line < need)
    return invalid(std::to_string(p.bytes_per_line) + " bytes per line cannot hold " + std::to_string(p.pixels_per_line) +
                   " pixels");
  long long lines = p.lines;
  const auto have = static_cast<long long>(bytes.size());
  if (lines < 0) {
    // Height unknown in advance: the frame is as many whole lines as came.
    if (p.lines != -1) return invalid("negative line count " + std::to_string(p.lines));
    if (have % p.bytes_per_line != 0) return invalid("the scanner stopped in the middle of a line");
    lines = have / p.bytes_per_line;
  }
  if (lines == 0) return invalid("no lines");
  if (Status st = camera::check_image_size(p.pixels_per_line, lines); !st) return invalid(st.error().message);
  // check_image_size bounds both factors, so the product does not overflow.
  if (have < lines * p.bytes_per_line)
    return invalid("truncated: " + std::to_string(have) + " bytes of " + std::to_string(lines * p.bytes_per_line) +
                   " (" + std::to_string(have / p.bytes_per_line) + " of " + std::to_string(lines) + " lines)");
  if (have > lines * p.bytes_per_line) return invalid("more bytes than the parameters announced");

  const int channels = channels_of(p.format);
  camera::Image im = camera::Image::make(p.pixels_per_line, static_cast<int>(lines), channels);
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  for (int y = 0; y < im.height; ++y)
    convert_line(in + static_cast<std::size_t>(y) * static_cast<std::size_t>(p.bytes_per_line), im.row(y), im.stride(),
                 p.depth);
  return im;
}

}  // namespace bianmin::drivers::docscan
