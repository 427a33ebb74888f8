// Draws text into an Image with FreeType (Noto Sans CJK from Debian's
// fonts-noto-cjk, found through fontconfig) for the simulated camera's
// synthetic pages.
#pragma once

#include <array>
#include <string_view>

#include "base/result.h"
#include "camera/image.h"

namespace bianmin::drivers::camera {

using Rgb = std::array<uint8_t, 3>;

class TextRenderer {
 public:
  // The process-wide renderer; "font_missing" when no CJK font is installed.
  static Result<TextRenderer*> get();
  // Draws UTF-8 `text` with its baseline at (x, y) pixels, `px` pixels per
  // em. Returns the advance in pixels.
  int draw(Image& im, int x, int y, std::string_view text, int px, Rgb colour, bool bold = false);
  int measure(std::string_view text, int px);

 private:
  TextRenderer() = default;
  struct Impl;
  Impl* impl_ = nullptr;
};

}  // namespace bianmin::drivers::camera
