#include "camera/code_reader.h"

#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>

#include <exception>

namespace bianmin::drivers::camera {

Result<CodeReader> CodeReader::create(const CodeReaderOptions& o) {
  CodeReader r;
  r.o_ = o;
  ZXing::BarcodeFormats f;
  try {
    f = ZXing::BarcodeFormatsFromString(o.formats);
  } catch (const std::exception&) {
    return make_error("usage", "unknown code format in '" + o.formats + "' (QRCode, EAN-13, EAN-8, Code128, Code39, "
                               "DataMatrix, PDF417, ITF, UPC-A …)");
  }
  if (f.empty()) return make_error("usage", "no code formats configured");
  // ZXing-cpp 1.4 as Debian 12 builds it keeps its assertions, and its
  // Micro QR detector fails one (RegressionLine.h: intersect of invalid
  // lines) on some pictures: abort() would take the kiosk down with it
  // (found by fuzz_code_image). Receipts and forms use full QR codes.
  // The same build asserts when ReadBarcodes merges several linear-code
  // results (Result.cpp: lineCount() == 1), which only happens when more
  // than one symbol is asked for; the terminal asks for one.
  if (o.max_symbols < 1 || o.max_symbols > 255 ||
      (o.max_symbols > 1 && f.testFlags(ZXing::BarcodeFormat::LinearCodes)))
    return make_error("usage", "max_symbols must be 1 with linear (1D) formats, else 1-255: ZXing-cpp 1.4 aborts when "
                               "it merges several 1D results");
  // Its Aztec detector indexes a vector with a negative number on some
  // pictures; the std::out_of_range it throws meets a noexcept frame and
  // std::terminate, so no try/catch of ours could keep the kiosk alive. Its
  // PDF417 error correction reads far outside its tables (SEGV in
  // ModulusPoly::evaluateAt) on others.
  if (f.testFlag(ZXing::BarcodeFormat::MicroQRCode) || f.testFlag(ZXing::BarcodeFormat::Aztec) ||
      f.testFlag(ZXing::BarcodeFormat::PDF417))
    return make_error("usage", "MicroQRCode, Aztec and PDF417 are not supported: ZXing-cpp 1.4 crashes on some "
                               "pictures in their decoders");
  r.formats_ = ZXing::ToString(f);
  return r;
}

std::vector<FoundCode> CodeReader::read(const Image& im) const {
  std::vector<FoundCode> out;
  if (im.empty()) return out;
  ZXing::DecodeHints h;
  h.setFormats(ZXing::BarcodeFormatsFromString(o_.formats));
  h.setTryHarder(o_.try_harder);
  h.setTryRotate(o_.try_rotate);
  h.setMaxNumberOfSymbols(static_cast<uint8_t>(o_.max_symbols));
  const ZXing::ImageView view(im.px.data(), im.width, im.height,
                              im.channels == 1 ? ZXing::ImageFormat::Lum : ZXing::ImageFormat::RGB);
  for (const auto& r : ZXing::ReadBarcodes(view, h)) {
    if (!r.isValid()) continue;
    FoundCode c;
    c.format = ZXing::ToString(r.format());
    c.text = r.text();
    const auto& b = r.bytes();
    c.bytes.assign(reinterpret_cast<const char*>(b.data()), b.size());
    const auto& p = r.position();
    for (int i = 0; i < 4; ++i) c.position[static_cast<std::size_t>(i)] = Pt{static_cast<double>(p[i].x), static_cast<double>(p[i].y)};
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace bianmin::drivers::camera
