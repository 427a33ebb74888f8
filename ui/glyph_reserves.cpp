#include "glyph_reserves.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "base/bytes.h"
#include "base/log.h"
#include "font_lookup.h"
#include "gl.h"
#include "i18n.h"

namespace bianmin::ui {

void set_pixel_size(FT_Face f, float px) {
  FT_Size_RequestRec req{};
  req.type = FT_SIZE_REQUEST_TYPE_REAL_DIM;
  req.height = static_cast<FT_Long>(px * 64);
  FT_Request_Size(f, &req);
}

GlyphReserves::~GlyphReserves() {
  reset(0, 0, 0);
  for (auto& [_, f] : fallback_faces_) FT_Done_Face(f);
  if (fallback_ft_) FT_Done_FreeType(fallback_ft_);
}

void GlyphReserves::reset(unsigned texture, int tex_w, int tex_h) {
  for (auto& r : reserves_)
    if (r.region.face) FT_Done_Face(r.region.face);
  reserves_.clear();
  pua_.clear();
  next_pua_ = kPuaFirst;
  on_demand_ = 0;
  texture_ = texture;
  tex_w_ = tex_w;
  tex_h_ = tex_h;
}

void GlyphReserves::add_region(const ReserveRegion& region) {
  Reserve r;
  r.region = region;
  r.base_glyphs = region.font->Glyphs.Size;
  reserves_.push_back(std::move(r));
}

std::size_t GlyphReserves::base_glyphs() const {
  std::size_t n = 0;
  for (const auto& r : reserves_) n += static_cast<std::size_t>(r.base_glyphs);
  return n;
}

GlyphReserves::Reserve* GlyphReserves::reserve_of(ImFont* font) {
  for (auto& r : reserves_)
    if (r.region.font == font) return &r;
  return nullptr;
}

// Another installed font that has `cp`, at `px`.
FT_Face GlyphReserves::fallback_for(uint32_t cp, float px) {
  auto known = fallback_file_.find(cp);
  std::string key;
  if (known != fallback_file_.end()) {
    key = known->second;
  } else {
    if (auto found = font_with_char(cp)) key = found->path + "#" + std::to_string(found->index);
    fallback_file_[cp] = key;
  }
  if (key.empty()) return nullptr;
  const std::string sized = key + "@" + std::to_string(px);
  auto it = fallback_faces_.find(sized);
  if (it != fallback_faces_.end()) return it->second;
  if (!fallback_ft_ && FT_Init_FreeType(&fallback_ft_) != 0) {
    fallback_ft_ = nullptr;
    return nullptr;
  }
  const auto hash = key.rfind('#');
  FT_Face f = nullptr;
  if (FT_New_Face(fallback_ft_, key.substr(0, hash).c_str(), std::stol(key.substr(hash + 1)), &f) != 0) return nullptr;
  FT_Select_Charmap(f, FT_ENCODING_UNICODE);
  set_pixel_size(f, px);
  fallback_faces_[sized] = f;
  return f;
}

// Rasterises `cp` into `r`'s region as glyph `draw_cp`. False when no font
// has it or the region is full.
bool GlyphReserves::add_glyph(Reserve& r, uint32_t cp, uint32_t draw_cp) {
  ReserveRegion& g = r.region;
  FT_Face face = g.face;
  FT_UInt gi = face ? FT_Get_Char_Index(face, cp) : 0;
  if (gi == 0) {
    face = fallback_for(cp, g.px);
    gi = face ? FT_Get_Char_Index(face, cp) : 0;
  }
  if (gi == 0) return false;
  if (FT_Load_Glyph(face, gi, FT_LOAD_NO_BITMAP | FT_LOAD_TARGET_LIGHT) != 0) return false;
  if (FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) != 0) return false;
  const FT_Bitmap& bm = face->glyph->bitmap;
  const int w = static_cast<int>(bm.width), h = static_cast<int>(bm.rows);
  if (r.cx + w + 1 > g.w) {
    r.cx = 0;
    r.cy += r.row_h + 1;
    r.row_h = 0;
  }
  if (r.cy + h > g.h || w + 1 > g.w) {
    log::warn("ui", "glyph reserve full", {{"px", static_cast<int>(g.px)}, {"glyphs", r.added.size()}});
    return false;
  }
  const int gx = g.x + r.cx, gy = g.y + r.cy;
  if (w > 0 && h > 0) {
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y)
      std::memcpy(px.data() + static_cast<std::size_t>(y) * w, bm.buffer + static_cast<std::ptrdiff_t>(y) * bm.pitch,
                  static_cast<std::size_t>(w));
    gl::update_alpha_texture(texture_, gx, gy, w, h, px.data());
  }
  r.cx += w + 1;
  r.row_h = std::max(r.row_h, h);
  const float x0 = static_cast<float>(face->glyph->bitmap_left);
  const float y0 = std::round(g.font->Ascent) - static_cast<float>(face->glyph->bitmap_top);
  const float advance = std::ceil(static_cast<float>(face->glyph->advance.x) / 64.0f);
  const float su = 1.0f / static_cast<float>(tex_w_), sv = 1.0f / static_cast<float>(tex_h_);
  g.font->AddGlyph(g.font->ConfigData, static_cast<ImWchar>(draw_cp), x0, y0, x0 + static_cast<float>(w),
                   y0 + static_cast<float>(h), static_cast<float>(gx) * su, static_cast<float>(gy) * sv,
                   static_cast<float>(gx + w) * su, static_cast<float>(gy + h) * sv, advance);
  g.font->BuildLookupTable();
  r.added.push_back(cp);
  return true;
}

uint32_t GlyphReserves::draw_point(uint32_t cp) {
  auto it = pua_.find(cp);
  if (it != pua_.end()) return it->second;
  if (next_pua_ > kPuaLast) return 0;
  pua_[cp] = next_pua_;
  return next_pua_++;
}

std::string_view GlyphReserves::prepare(ImFont* font, std::string_view text) {
  Reserve* r = reserve_of(font);
  if (!r) return text;
  bool non_bmp = false;
  // Decode on the fly; most texts are fully in the atlas.
  scratch_.clear();
  decode_utf8(text, scratch_);
  for (uint32_t cp : scratch_) {
    if (cp < 0x20) continue;
    uint32_t drawn = cp;
    if (cp > 0xFFFF) {
      non_bmp = true;
      drawn = draw_point(cp);
      if (drawn == 0) continue;
    }
    if (font->FindGlyphNoFallback(static_cast<ImWchar>(drawn)) || r->missing.count(cp)) continue;
    if (add_glyph(*r, cp, drawn)) {
      ++on_demand_;
    } else {
      r->missing.insert(cp);
      ++missing_;
    }
  }
  if (!non_bmp) return text;
  std::string mapped;
  for (uint32_t cp : scratch_) {
    auto it = cp > 0xFFFF ? pua_.find(cp) : pua_.end();
    utf8_append(mapped, static_cast<char32_t>(it != pua_.end() ? it->second : cp));
  }
  frame_copies_.push_back(std::move(mapped));
  return frame_copies_.back();
}

void GlyphReserves::end_frame() {
  for (auto& s : frame_copies_) secure_wipe(s);
  secure_wipe(scratch_);
  frame_copies_.clear();
}

void GlyphReserves::forget_session() {
  end_frame();
  for (auto& r : reserves_) {
    if (r.added.empty() && r.missing.empty()) continue;
    const ReserveRegion& g = r.region;
    // Clear the cells so no shape of a resident's name stays in the texture.
    if (r.cy + r.row_h > 0) {
      const int used_h = std::min(g.h, r.cy + r.row_h + 1);
      std::vector<unsigned char> zeros(static_cast<std::size_t>(g.w) * used_h, 0);
      gl::update_alpha_texture(texture_, g.x, g.y, g.w, used_h, zeros.data());
    }
    g.font->Glyphs.resize(r.base_glyphs);
    g.font->BuildLookupTable();
    r.added.clear();
    r.missing.clear();
    r.cx = r.cy = r.row_h = 0;
  }
  pua_.clear();
  next_pua_ = kPuaFirst;
  on_demand_ = 0;
}

}  // namespace bianmin::ui
