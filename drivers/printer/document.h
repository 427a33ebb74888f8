// What a slip says, independent of the printer: lines of text with their
// style, separators, QR codes, images, feeds and the cut. encode_document()
// turns it into ESC/POS for one printer profile: wrapping to the paper
// width, text in the resident GB font where it can, whole lines as raster
// images where it cannot, native or raster QR.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "base/result.h"
#include "printer/bitmap.h"
#include "printer/escpos.h"
#include "printer/gb_text.h"

namespace bianmin::drivers::printer {

class GlyphRenderer;

struct TextBlock {
  std::string utf8;
  Align align = Align::left;
  bool bold = false;
  int width_mul = 1, height_mul = 1;
  bool shrink_to_fit = false;  // lower the width multiplier rather than wrap
  int indent_cols = 0;         // continuation lines start this many columns in
};
TextBlock text_block(std::string utf8, Align a = Align::left, bool bold = false, int w = 1, int h = 1);

struct RuleBlock { char32_t ch = U'-'; };
struct QrBlock {
  std::string payload;
  int module = 0;  // dots per module; 0 = profile's choice
};
struct ImageBlock {
  Bitmap bitmap;
  Align align = Align::center;
};
struct FeedBlock { int lines = 1; };
struct CutBlock {};

using Block = std::variant<TextBlock, RuleBlock, QrBlock, ImageBlock, FeedBlock, CutBlock>;

struct Document {
  std::vector<Block> blocks;

  Document& text(std::string utf8, Align a = Align::left, bool bold = false, int w = 1, int h = 1);
  Document& rule(char32_t ch = U'-');
  Document& qr(std::string payload, int module = 0);
  Document& feed(int lines = 1);
  Document& cut();
};

struct Profile {
  int width_dots = 384;                  // 384 (58 mm), 576 (80 mm), or as configured
  FontSet font = FontSet::gb18030_2byte; // what the resident font covers
  bool native_qr = true;                 // GS ( k; false: QR as a raster image
  int qr_module = 0;                     // 0: largest that fits, up to 6 (58 mm) / 8 (80 mm)
  QrEc qr_ec = QrEc::M;
  int max_magnify = 2;                   // cheap printers take only ×1/×2 (GS ! 0,1,16,17)
  CutKind cut = CutKind::partial;        // many cheap printers only cut partially
  int feed_before_cut = 4;               // lines from the print head to the cutter
  int band_rows = 256;                   // GS v 0 rows per command

  int columns() const { return width_dots / 12; }  // font A, half-width columns
};

// Error "qr_invalid" when the QR does not fit the paper, "font_missing" when
// a line needs raster and `glyphs` is null.
Result<std::string> encode_document(const Document& doc, const Profile& profile, GlyphRenderer* glyphs);

// The physical lines a text block wraps into at multiplier w.
std::vector<std::u32string> wrap_text(std::u32string_view text, int columns_dots, int w, int indent_cols);

}  // namespace bianmin::drivers::printer
