// The kiosk's text: a CJK font found through fontconfig (Noto Sans CJK SC
// from Debian's fonts-noto-cjk), rasterised by FreeType into one ImGui
// glyph atlas.
//
// What the atlas holds, and its budget:
//  - body text: the common-character set (ImGui's 2,500 common simplified
//    hanzi + punctuation), every character of the UI strings and of the
//    catalogue, ASCII;
//  - titles and the large display text: only the UI strings and the
//    catalogue (people's names are never titles);
//  - a reserve region per font for characters met at run time (a rare
//    character in a name from the card, an input-method candidate): each is
//    rasterised on demand into the reserve and uploaded with one sub-image
//    update, without rebuilding the atlas. Characters outside the BMP (CJK
//    extensions B–G; ImGui 1.86 draws 16-bit characters only) are mapped to
//    private-use code points for drawing. A character the main face lacks
//    comes from another installed font that has it (fontconfig).
//  - one alpha-8 texture of at most kMaxAtlasWidth × kMaxAtlasHeight
//    (4096 × 4096 = 16 MiB; measured sizes in stats()); the font files are
//    memory-mapped, not copied.
// On-demand glyphs belong to the session that needed them and are dropped
// (their texture cells cleared) when it ends.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct ImFont;

namespace bianmin::ui {

// A glyph atlas rasterised but not yet on the GPU (fonts.cpp).
struct PreparedAtlas;
Status rasterise_atlas(PreparedAtlas& atlas);
struct FontSizes;
FontSizes atlas_sizes(const PreparedAtlas& atlas);

constexpr int kMaxAtlasWidth = 4096;
constexpr int kMaxAtlasHeight = 4096;

struct FontSizes {
  float body = 34, title = 46, display = 80;
};

struct FontStats {
  int atlas_width = 0, atlas_height = 0;
  std::size_t base_glyphs = 0;       // in the atlas as built
  std::size_t on_demand_glyphs = 0;  // in the reserves now
  std::size_t missing = 0;           // characters no installed font has
  double build_ms = 0;
  std::string regular_file, bold_file;
};

class Fonts {
 public:
  // Finds the fonts through fontconfig. Error "font_missing" names the package.
  static Result<std::unique_ptr<Fonts>> open();
  ~Fonts();

  // The characters of the base atlas: `body` for body text, `titles` for
  // titles and display text (a subset).
  void set_characters(std::set<uint32_t> body, std::set<uint32_t> titles);
  // An atlas is made in three steps, so that a running kiosk never stalls
  // on it (start-up, elder mode, a new catalogue): prepare (cheap; no ImGui
  // context needed), rasterise_atlas() on a worker (FreeType only: no GL;
  // the old atlas keeps drawing meanwhile), install on the render thread
  // between frames (the texture upload; drops on-demand glyphs).
  std::shared_ptr<PreparedAtlas> prepare_atlas(const FontSizes& sizes) const;
  Status install_atlas(std::shared_ptr<PreparedAtlas> atlas);

  ImFont* body() const { return body_; }
  ImFont* title() const { return title_; }
  ImFont* display() const { return display_; }

  // Makes every character of `text` drawable with `font` (rasterising
  // missing ones into the reserve) and returns the text to give ImGui:
  // `text` itself, or a copy with non-BMP characters mapped (valid until
  // end_frame()).
  std::string_view prepare(ImFont* font, std::string_view text);
  // Overwrites this frame's mapped copies (they may hold resident text).
  void end_frame();
  // Drops the font files' pages from this process (they stay in the page
  // cache): a CJK atlas reads most of a 20 MB collection, an on-demand
  // glyph a few pages. Any thread; after an atlas is installed, say.
  void release_font_pages() const;
  // The session ended: forget on-demand glyphs and clear their cells.
  void forget_session_glyphs();

  const FontStats& stats() const { return stats_; }

 private:
  struct Impl;
  Fonts();
  std::unique_ptr<Impl> impl_;
  ImFont* body_ = nullptr;
  ImFont* title_ = nullptr;
  ImFont* display_ = nullptr;
  FontStats stats_;
};

}  // namespace bianmin::ui
