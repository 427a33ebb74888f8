// Drawing text the way a thermal printer does, from a CJK outline font:
// every character sits in a cell of the printer's font A (12 × 24 dots for
// ASCII, 24 × 24 for everything else), enlarged by repeating dots.
//
// The font is found through fontconfig. The preferred family is Noto Sans
// CJK SC (Debian fonts-noto-cjk): it covers GB18030's BMP and the rare
// name characters of the CJK extensions that the 通用规范汉字表 uses
// (𬌗 U+2C317, 䶮 U+4DAE, 堃), which WenQuanYi Zen Hei lacks beyond the BMP.
// A character the preferred font lacks is looked up in every other font
// fontconfig knows; if none has it, an empty box is drawn (never '?').
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "printer/bitmap.h"

namespace bianmin::drivers::printer {

inline constexpr int kCellHeight = 24;  // font A
inline constexpr int kLineGap = 6;      // default line spacing 30 dots = 24 + 6

// Cell width in dots at ×1: ASCII is half width, everything else full.
inline int cell_width(char32_t cp) { return cp < 0x80 ? 12 : 24; }
// Width of a line in dots at width multiplier `w`.
int text_width(std::u32string_view text, int w);

struct TextStyle {
  int width_mul = 1, height_mul = 1;
  bool bold = false;
  bool underline = false;
};

class GlyphRenderer {
 public:
  static constexpr const char* kDefaultFamily = "Noto Sans CJK SC";
  // Finds `family` through fontconfig; error "font_missing" naming the
  // Debian package when no CJK font is installed.
  static Result<std::unique_ptr<GlyphRenderer>> open(const std::string& family = kDefaultFamily);
  ~GlyphRenderer();
  GlyphRenderer(const GlyphRenderer&) = delete;
  GlyphRenderer& operator=(const GlyphRenderer&) = delete;

  // True when some installed font has a glyph for cp.
  bool covers(char32_t cp);
  // The font file used for cp ("" when none covers it).
  std::string font_for(char32_t cp);
  // The ×1 cell of cp (cell_width(cp) × kCellHeight).
  const Bitmap& cell(char32_t cp);
  // Draws `text` with its top-left at (x, top). Returns the width drawn.
  int draw(Bitmap& target, int x, int top, std::u32string_view text, const TextStyle& st);
  const std::string& primary_file() const;

 private:
  struct Impl;
  explicit GlyphRenderer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bianmin::drivers::printer
