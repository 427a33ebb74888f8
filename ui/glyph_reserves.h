// Characters met at run time that the installed atlas lacks (a rare
// character in a name read from the card, an input-method candidate): each
// is rasterised with FreeType into a region the atlas reserved for its font
// and uploaded with one sub-image update, without rebuilding the atlas
// (fonts.h describes the atlas around it).
//
// A character the font's own face lacks comes from another installed font
// that has it (fontconfig). Characters outside the BMP, which ImGui 1.86
// cannot draw, get a private-use code point of their own for drawing.
// Everything rasterised here belongs to the session that needed it:
// forget_session() clears the cells, so no shape of a resident's name stays
// in the texture.
#pragma once

#include <ft2build.h>
#include FT_FREETYPE_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

struct ImFont;

namespace bianmin::ui {

// Sizes `f` to `px` pixels from ascender to descender, as the atlas's
// FreeType builder sizes its fonts.
void set_pixel_size(FT_Face f, float px);

// One font's reserved region in the atlas texture, in texture pixels.
struct ReserveRegion {
  ImFont* font = nullptr;
  FT_Face face = nullptr;  // the font's face at its size; the reserves take it over
  float px = 0;
  int x = 0, y = 0, w = 0, h = 0;
};

class GlyphReserves {
 public:
  GlyphReserves() = default;
  ~GlyphReserves();
  GlyphReserves(const GlyphReserves&) = delete;
  GlyphReserves& operator=(const GlyphReserves&) = delete;

  // A new atlas is installed in `texture` (tex_w × tex_h): the old regions,
  // their faces and the private-use mapping go.
  void reset(unsigned texture, int tex_w, int tex_h);
  void add_region(const ReserveRegion& region);

  // Makes every character of `text` drawable with `font` (rasterising
  // missing ones into its region) and returns the text to give ImGui:
  // `text` itself, or a copy with non-BMP characters mapped (valid until
  // end_frame()). A font without a region gets `text` back untouched.
  std::string_view prepare(ImFont* font, std::string_view text);
  // Overwrites this frame's mapped copies (they may hold resident text).
  void end_frame();
  // The session ended: forget its glyphs and clear their cells.
  void forget_session();

  std::size_t base_glyphs() const;                              // in the atlas as built
  std::size_t on_demand_glyphs() const { return on_demand_; }  // in the regions now
  std::size_t missing() const { return missing_; }              // no installed font has them

 private:
  static constexpr uint32_t kPuaFirst = 0xE000, kPuaLast = 0xE7FF;

  struct Reserve {
    ReserveRegion region;
    int cx = 0, cy = 0, row_h = 0;  // shelf packer cursor
    int base_glyphs = 0;
    std::set<uint32_t> missing;  // no installed font has it (per session)
    std::vector<uint32_t> added;
  };
  Reserve* reserve_of(ImFont* font);
  FT_Face fallback_for(uint32_t cp, float px);
  bool add_glyph(Reserve& r, uint32_t cp, uint32_t draw_cp);
  // The private-use code point drawing `cp` (outside the BMP); 0 when they
  // are all taken.
  uint32_t draw_point(uint32_t cp);

  unsigned texture_ = 0;
  int tex_w_ = 0, tex_h_ = 0;
  std::vector<Reserve> reserves_;
  FT_Library fallback_ft_ = nullptr;               // for the fallback faces (render thread)
  std::map<std::string, FT_Face> fallback_faces_;  // "path#index@px"
  std::map<uint32_t, std::string> fallback_file_;  // code point → "path#index" ("" = none)
  std::map<uint32_t, uint32_t> pua_;               // non-BMP → private use
  uint32_t next_pua_ = kPuaFirst;
  std::deque<std::string> frame_copies_;  // a deque: views of earlier copies stay valid
  std::vector<uint32_t> scratch_;  // decoded text being prepared
  std::size_t on_demand_ = 0, missing_ = 0;

};

}  // namespace bianmin::ui
