#include "camera/text_render.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include <algorithm>
#include <mutex>
#include <string>

#include "base/bytes.h"

namespace bianmin::drivers::camera {

struct TextRenderer::Impl {
  FT_Library lib = nullptr;
  FT_Face face = nullptr;
  std::mutex mu;
};

Result<TextRenderer*> TextRenderer::get() {
  static TextRenderer* instance = [] {
    auto* r = new TextRenderer();
    auto* impl = new Impl();
    std::string file = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    int index = 2;  // the SC face of the collection
    if (FcInit()) {
      FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>("Noto Sans CJK SC:lang=zh-cn"));
      FcConfigSubstitute(nullptr, pat, FcMatchPattern);
      FcDefaultSubstitute(pat);
      FcResult res;
      if (FcPattern* m = FcFontMatch(nullptr, pat, &res)) {
        FcChar8* f = nullptr;
        int idx = 0;
        if (FcPatternGetString(m, FC_FILE, 0, &f) == FcResultMatch) file = reinterpret_cast<const char*>(f);
        if (FcPatternGetInteger(m, FC_INDEX, 0, &idx) == FcResultMatch) index = idx;
        FcPatternDestroy(m);
      }
      FcPatternDestroy(pat);
    }
    if (FT_Init_FreeType(&impl->lib) == 0 && FT_New_Face(impl->lib, file.c_str(), index, &impl->face) != 0)
      impl->face = nullptr;
    r->impl_ = impl;
    return r;
  }();
  if (!instance->impl_ || !instance->impl_->face)
    return make_error("font_missing", "no CJK font found (apt-get install fonts-noto-cjk)");
  return instance;
}

int TextRenderer::draw(Image& im, int x, int y, std::string_view text, int px, Rgb colour, bool bold) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  FT_Face face = impl_->face;
  FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(std::max(4, px)));
  auto cps = utf8_decode(text);
  if (!cps) return 0;
  int pen = x;
  for (char32_t cp : *cps) {
    if (FT_Load_Char(face, cp, FT_LOAD_DEFAULT) != 0) continue;
    if (bold && face->glyph->format == FT_GLYPH_FORMAT_OUTLINE) FT_Outline_Embolden(&face->glyph->outline, px * 3);
    if (FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) != 0) continue;
    const FT_Bitmap& bm = face->glyph->bitmap;
    const int gx = pen + face->glyph->bitmap_left, gy = y - face->glyph->bitmap_top;
    for (unsigned r = 0; r < bm.rows; ++r) {
      const int yy = gy + static_cast<int>(r);
      if (yy < 0 || yy >= im.height) continue;
      for (unsigned c = 0; c < bm.width; ++c) {
        const int xx = gx + static_cast<int>(c);
        if (xx < 0 || xx >= im.width) continue;
        const int a = bm.buffer[static_cast<int>(r) * bm.pitch + static_cast<int>(c)];
        if (!a) continue;
        for (int ch = 0; ch < im.channels; ++ch) {
          const int ink = im.channels == 1 ? (77 * colour[0] + 150 * colour[1] + 29 * colour[2]) >> 8 : colour[static_cast<std::size_t>(ch)];
          uint8_t& d = im.at(xx, yy, ch);
          d = static_cast<uint8_t>((d * (255 - a) + ink * a + 127) / 255);
        }
      }
    }
    pen += static_cast<int>(face->glyph->advance.x >> 6);
  }
  return pen - x;
}

int TextRenderer::measure(std::string_view text, int px) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  FT_Face face = impl_->face;
  FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(std::max(4, px)));
  auto cps = utf8_decode(text);
  if (!cps) return 0;
  int w = 0;
  for (char32_t cp : *cps)
    if (FT_Load_Char(face, cp, FT_LOAD_DEFAULT) == 0) w += static_cast<int>(face->glyph->advance.x >> 6);
  return w;
}

}  // namespace bianmin::drivers::camera
