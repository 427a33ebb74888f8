// QR codes and barcodes in camera frames, with ZXing-cpp 1.4, restricted
// to the configured formats (each extra format costs time on every frame
// and adds false reads).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "camera/geometry.h"
#include "camera/image.h"

namespace bianmin::drivers::camera {

struct CodeReaderOptions {
  // ZXing names, comma or space separated: "QRCode,EAN-13,Code128".
  std::string formats = "QRCode,EAN-13,EAN-8,Code128";
  bool try_harder = true;    // also look at the image at other thresholds
  bool try_rotate = false;   // 1D codes held vertically
  int max_symbols = 1;
};

struct FoundCode {
  std::string format;  // ZXing name: "QRCode", "EAN-13" …
  std::string text;    // as ZXing decoded it (UTF-8); sanitise before use
  std::string bytes;   // raw content bytes
  Quad position{};
};

class CodeReader {
 public:
  // "usage" error for an unknown format name.
  static Result<CodeReader> create(const CodeReaderOptions& o);
  // Grey (or RGB) image; empty when nothing of the formats is found.
  std::vector<FoundCode> read(const Image& im) const;
  const std::string& formats() const { return formats_; }

 private:
  CodeReaderOptions o_;
  std::string formats_;
};

}  // namespace bianmin::drivers::camera
