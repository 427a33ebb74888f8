// libFuzzer target: codes read from a camera frame (`bianmin code --camera`:
// decode_frame → CodeReader::read with ZXing-cpp → parse_code_payload of
// the decoded text). Whatever a phone screen or a printed slip shows the
// camera reaches ZXing as pixels; what ZXing decodes reaches the core's
// payload parser, which must keep its promises for any decoded text.
//
// Invariants: no crash; a found code has a format among those configured
// and its position inside the image (ZXing may extrapolate a little past
// the edge, not far); the payload parser's text is valid UTF-8 without
// control characters within its limit, and a receipt has a well-formed
// receipt number and token.
//
// Input layout: byte 0 = bit 0 try harder, bit 1 try rotated, bits 2–3
// the format set, bits 4–5 the most symbols (1–4); bytes 1–2 the width
// (LE); the rest is grey pixels, row after row (as many whole rows as fit).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "camera/code_reader.h"
#include "camera/image.h"
#include "domain/code_payload.h"

using namespace bianmin::drivers::camera;
namespace domain = bianmin::domain;

namespace {

// The terminal's default, and sets that reach the other decoders ZXing
// has (each a different parser of pixels and of the bits they carry).
constexpr const char* kFormatSets[4] = {
    "QRCode,EAN-13,EAN-8,Code128",
    "QRCode",  // alone: the least work a frame, so the most runs
    "EAN-13,EAN-8,UPC-A,UPC-E,Code39,Code93,Code128,ITF,Codabar",
    "DataMatrix",  // MicroQRCode, Aztec and PDF417 are refused (CodeReader::create)
};

// Larger images only cost time: ZXing scans every row and tries several
// thresholds, and what a bug needs fits in a small picture.
constexpr std::size_t kMaxPixels = 256 * 256;

void check_payload(std::string_view raw, const domain::ReceiptUrlPattern& pattern) {
  domain::PayloadLimits lim;
  const domain::CodePayload c = domain::parse_code_payload(raw, pattern, lim);
  if (c.text.size() > lim.max_text_bytes || !bianmin::is_valid_utf8(c.text)) std::abort();
  for (unsigned char ch : c.text)
    if (ch < 0x20 || ch == 0x7F) std::abort();
  if (c.kind == domain::PayloadKind::receipt &&
      (!c.receipt || !domain::is_receipt_no(c.receipt->receipt_no) || !domain::is_receipt_token(c.receipt->token)))
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto pattern = *domain::ReceiptUrlPattern::compile("https://zwfw.example.gov.cn/q/{receipt_no}?t={token}");
  if (size < 4) return 0;
  const uint8_t opts = data[0];
  const int width = data[1] | (data[2] << 8);
  const std::size_t pixels = size - 3;
  if (width == 0 || pixels < static_cast<std::size_t>(width) || pixels > kMaxPixels) return 0;
  const int height = static_cast<int>(pixels / static_cast<std::size_t>(width));
  Image im = Image::make(width, height, 1);
  std::copy_n(data + 3, im.px.size(), im.px.begin());

  CodeReaderOptions o;
  o.formats = kFormatSets[(opts >> 2) & 3];
  o.try_harder = opts & 1;
  o.try_rotate = opts & 2;
  o.max_symbols = 1 + ((opts >> 4) & 3);
  auto reader = CodeReader::create(o);
  if (!reader) {
    // Every set above is valid; several symbols are refused with linear
    // formats (ZXing-cpp 1.4 aborts merging their results).
    if (o.max_symbols > 1) return 0;
    std::abort();
  }
  for (const FoundCode& c : reader->read(im)) {
    if (reader->formats().find(c.format) == std::string::npos) std::abort();
    for (const Pt& p : c.position)
      if (p.x < -width || p.x > 2.0 * width || p.y < -height || p.y > 2.0 * height) std::abort();
    check_payload(c.text, pattern);
    check_payload(c.bytes, pattern);
  }
  return 0;
}
