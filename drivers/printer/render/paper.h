// The paper a printer would produce from an ESC/POS stream: text in the CJK
// font in font-A cells at the commanded sizes and alignment, GS v 0 images,
// native QR codes drawn from the stored data as the printer draws them (no
// quiet zone of its own), feeds and cut marks. For `bianmin print render`,
// the golden images and the simulated printer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "printer/bitmap.h"
#include "printer/gb_text.h"

namespace bianmin::drivers::printer {

class GlyphRenderer;

struct RenderOptions {
  int width_dots = 384;
  FontSet font = FontSet::gb18030_2byte;  // the emulated printer's resident font
  bool chinese_at_power_on = true;        // Chinese-market printers start in Chinese mode
  int max_height_dots = 100000;           // 12.5 m of paper; more is cut off
};

struct Cut {
  int y = 0;
  bool partial = false;
};

struct Paper {
  Bitmap print;           // the printable area, width_dots wide
  std::vector<Cut> cuts;
  int margin = 32;        // unprintable paper edge each side, in dots
  bool truncated = false; // stream ended inside a command or paper limit hit
  int unknown_commands = 0;
  int text_boxes = 0;     // characters the emulated font could not print
};

// `glyphs` may be null: every character is then drawn as a box (fuzzing).
Paper render_escpos(std::string_view bytes, const RenderOptions& opt, GlyphRenderer* glyphs);

// 8-bit grey picture of the paper: dots black, paper white, the edges
// outside the printable area light grey, cuts as dashed lines.
struct GrayImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};
GrayImage paper_image(const Paper& p);

Status write_png(const std::string& path, const GrayImage& img);
Result<GrayImage> read_png(const std::string& path);

}  // namespace bianmin::drivers::printer
