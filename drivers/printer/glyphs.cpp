#include "printer/glyphs.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cmath>

namespace bianmin::drivers::printer {

int text_width(std::u32string_view text, int w) {
  int dots = 0;
  for (char32_t c : text) dots += cell_width(c) * w;
  return dots;
}

struct FaceRef {
  std::string file;
  int index = 0;
  FT_Face face = nullptr;
};

struct GlyphRenderer::Impl {
  FT_Library ft = nullptr;
  FcConfig* fc = nullptr;
  std::string family;
  FaceRef primary;
  std::vector<FaceRef> faces;                // fallbacks opened so far
  std::map<char32_t, int> face_of;           // -1 none, 0 primary, k fallback k-1
  std::map<char32_t, Bitmap> cells;
  FcFontSet* sorted = nullptr;               // fallback candidates, best first

  ~Impl() {
    for (auto& f : faces)
      if (f.face) FT_Done_Face(f.face);
    if (primary.face) FT_Done_Face(primary.face);
    if (sorted) FcFontSetDestroy(sorted);
    if (ft) FT_Done_FreeType(ft);
  }

  FT_Face open_face(const std::string& file, int index) {
    FT_Face face = nullptr;
    if (FT_New_Face(ft, file.c_str(), index, &face) != 0) return nullptr;
    return face;
  }

  int lookup(char32_t cp) {
    if (auto it = face_of.find(cp); it != face_of.end()) return it->second;
    int which = -1;
    if (FT_Get_Char_Index(primary.face, cp) != 0) {
      which = 0;
    } else if (sorted) {
      for (int i = 0; i < sorted->nfont && which < 0; ++i) {
        FcCharSet* cs = nullptr;
        if (FcPatternGetCharSet(sorted->fonts[i], FC_CHARSET, 0, &cs) != FcResultMatch || !FcCharSetHasChar(cs, cp))
          continue;
        FcChar8* file = nullptr;
        int index = 0;
        if (FcPatternGetString(sorted->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
        FcPatternGetInteger(sorted->fonts[i], FC_INDEX, 0, &index);
        const std::string path(reinterpret_cast<const char*>(file));
        for (std::size_t k = 0; k < faces.size(); ++k)
          if (faces[k].file == path && faces[k].index == index) which = static_cast<int>(k) + 1;
        if (which < 0) {
          FT_Face face = open_face(path, index);
          if (!face) continue;
          if (FT_Get_Char_Index(face, cp) == 0) {
            FT_Done_Face(face);
            continue;
          }
          faces.push_back({path, index, face});
          which = static_cast<int>(faces.size());
        }
      }
    }
    face_of[cp] = which;
    return which;
  }

  Bitmap render(char32_t cp) {
    const int cw = cell_width(cp);
    Bitmap cell(cw, kCellHeight);
    if (cp == U' ' || cp == 0x3000) return cell;
    const int which = lookup(cp);
    if (which < 0) {
      // An empty box: visibly "a character is here", never a wrong one.
      for (int x = 2; x < cw - 2; ++x) cell.set(x, 3), cell.set(x, kCellHeight - 3);
      for (int y = 3; y <= kCellHeight - 3; ++y) cell.set(2, y), cell.set(cw - 3, y);
      return cell;
    }
    FT_Face face = which == 0 ? primary.face : faces[static_cast<std::size_t>(which - 1)].face;
    const int px = cp < 0x80 ? 21 : 23;  // ASCII a little smaller, as on font A
    FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(px));
    FT_Set_Transform(face, nullptr, nullptr);
    if (FT_Load_Char(face, cp, FT_LOAD_DEFAULT | FT_LOAD_NO_BITMAP) != 0) return cell;
    // Squeeze glyphs whose advance is wider than their cell (W, M, @ …).
    const double adv = static_cast<double>(face->glyph->advance.x) / 64.0;
    if (adv > cw) {
      FT_Matrix m{static_cast<FT_Fixed>(std::lround(65536.0 * cw / adv)), 0, 0, 0x10000};
      FT_Set_Transform(face, &m, nullptr);
      if (FT_Load_Char(face, cp, FT_LOAD_DEFAULT | FT_LOAD_NO_BITMAP) != 0) return cell;
    }
    if (FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) != 0) return cell;
    const FT_Bitmap& b = face->glyph->bitmap;
    const int baseline = 20;  // 24-dot cell: 20 above the baseline, 4 below
    const double used = std::min(adv, static_cast<double>(cw));
    const int x0 = static_cast<int>(std::lround((cw - used) / 2.0)) + face->glyph->bitmap_left;
    const int y0 = baseline - face->glyph->bitmap_top;
    for (unsigned y = 0; y < b.rows; ++y)
      for (unsigned x = 0; x < b.width; ++x)
        if (b.buffer[static_cast<long>(y) * b.pitch + static_cast<long>(x)] >= 110)
          cell.set(x0 + static_cast<int>(x), y0 + static_cast<int>(y));
    return cell;
  }
};

GlyphRenderer::GlyphRenderer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GlyphRenderer::~GlyphRenderer() = default;

Result<std::unique_ptr<GlyphRenderer>> GlyphRenderer::open(const std::string& family) {
  auto impl = std::make_unique<Impl>();
  impl->family = family;
  if (FT_Init_FreeType(&impl->ft) != 0) return make_error("font_missing", "FreeType did not initialise");
  if (!FcInit()) return make_error("font_missing", "fontconfig did not initialise");
  FcPattern* pat = FcPatternCreate();
  FcPatternAddString(pat, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  FcPatternAddString(pat, FC_LANG, reinterpret_cast<const FcChar8*>("zh-cn"));
  FcConfigSubstitute(nullptr, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pat, &res);
  impl->sorted = FcFontSort(nullptr, pat, FcFalse, nullptr, &res);
  FcPatternDestroy(pat);
  std::string file;
  int index = 0;
  FcChar8* fam = nullptr;
  bool is_cjk = false;
  if (match) {
    FcChar8* f = nullptr;
    if (FcPatternGetString(match, FC_FILE, 0, &f) == FcResultMatch) file = reinterpret_cast<const char*>(f);
    FcPatternGetInteger(match, FC_INDEX, 0, &index);
    FcCharSet* cs = nullptr;
    if (FcPatternGetCharSet(match, FC_CHARSET, 0, &cs) == FcResultMatch) is_cjk = FcCharSetHasChar(cs, U'王');
    (void)FcPatternGetString(match, FC_FAMILY, 0, &fam);
    FcPatternDestroy(match);
  }
  if (file.empty() || !is_cjk)
    return make_error("font_missing",
                      "no CJK font found through fontconfig (" + family + "): apt-get install fonts-noto-cjk");
  impl->primary = {file, index, impl->open_face(file, index)};
  if (!impl->primary.face) return make_error("font_missing", "cannot open font " + file);
  return std::unique_ptr<GlyphRenderer>(new GlyphRenderer(std::move(impl)));
}

bool GlyphRenderer::covers(char32_t cp) { return impl_->lookup(cp) >= 0; }

std::string GlyphRenderer::font_for(char32_t cp) {
  const int which = impl_->lookup(cp);
  if (which < 0) return {};
  return which == 0 ? impl_->primary.file : impl_->faces[static_cast<std::size_t>(which - 1)].file;
}

const std::string& GlyphRenderer::primary_file() const { return impl_->primary.file; }

const Bitmap& GlyphRenderer::cell(char32_t cp) {
  auto it = impl_->cells.find(cp);
  if (it == impl_->cells.end()) it = impl_->cells.emplace(cp, impl_->render(cp)).first;
  return it->second;
}

int GlyphRenderer::draw(Bitmap& target, int x, int top, std::u32string_view text, const TextStyle& st) {
  const int w = std::clamp(st.width_mul, 1, 8), h = std::clamp(st.height_mul, 1, 8);
  int pos = x;
  for (char32_t cp : text) {
    const Bitmap big = Bitmap::scaled(cell(cp), w, h);
    target.blit(big, pos, top);
    if (st.bold) target.blit(big, pos + 1, top);  // double-strike, one dot right
    if (st.underline) target.fill_rect(pos, top + kCellHeight * h - 1, big.width, 1);
    pos += big.width;
  }
  return pos - x;
}

}  // namespace bianmin::drivers::printer
