// From what sane_read hands over to an image of the page pipeline: the
// pure half of the SANE transport (bytes in, image out; fuzzed by
// fuzz_sane_frame), kept apart from the library calls so that it is tested
// without a scanner and without libsane's global state.
//
// SANE describes a frame with SANE_Parameters: its format (grey, RGB, or
// one colour plane of a three-pass scanner), bits per sample, pixels and
// bytes per line (lines may be padded) and the number of lines (-1 when the
// scanner does not know in advance: hand-held and some sheet-fed ones).
#pragma once

#include <sane/sane.h>

#include <string_view>

#include "base/result.h"
#include "camera/image.h"

namespace bianmin::drivers::docscan {

// Converts one complete frame to an 8-bit image:
//   SANE_FRAME_GRAY, depth 8   → grey
//   SANE_FRAME_GRAY, depth 1   → grey (lineart: SANE's bit 1 is black, MSB first)
//   SANE_FRAME_GRAY/RGB, 16    → the high byte (SANE sends host byte order)
//   SANE_FRAME_RGB, depth 8    → RGB
// Errors: "scanner_unsupported" (a three-pass colour plane, 1-bit colour,
// another depth), "scanner_frame_invalid" (parameters that contradict each
// other, fewer bytes than the lines need, a size beyond kMaxImagePixels).
// Bytes past the last whole line of a frame whose height was unknown are
// an error too: a scanner that stops mid-line sent a damaged page.
Result<camera::Image> frame_to_image(const SANE_Parameters& p, std::string_view bytes);

// The bytes one line of pixels takes in this format, 0 when the format is
// not one frame_to_image converts; what bytes_per_line must at least be.
long long packed_line_bytes(const SANE_Parameters& p);

}  // namespace bianmin::drivers::docscan
