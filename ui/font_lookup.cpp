#include "font_lookup.h"

#include <fontconfig/fontconfig.h>

namespace bianmin::ui {

Result<FontFile> find_cjk_font(const char* pattern) {
  FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(pattern));
  if (!pat) return make_error("font_missing", "bad font pattern");
  FcConfigSubstitute(nullptr, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pat, &res);
  FcPatternDestroy(pat);
  if (!match) return make_error("font_missing", "no font matches " + std::string(pattern));
  FcChar8* file = nullptr;
  FcCharSet* cs = nullptr;
  bool hanzi = false;
  FontFile found;
  if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) found.path = reinterpret_cast<const char*>(file);
  FcPatternGetInteger(match, FC_INDEX, 0, &found.index);
  if (FcPatternGetCharSet(match, FC_CHARSET, 0, &cs) == FcResultMatch)
    hanzi = FcCharSetHasChar(cs, 0x4E2D) && FcCharSetHasChar(cs, 0x529E);  // 中 办
  FcPatternDestroy(match);
  if (found.path.empty() || !hanzi)
    return make_error("font_missing", std::string("no CJK font for \"") + pattern +
                                          "\" (install the Debian package fonts-noto-cjk)");
  return found;
}

std::optional<FontFile> font_with_char(uint32_t cp) {
  std::optional<FontFile> found;
  FcPattern* pat = FcPatternCreate();
  FcCharSet* cs = FcCharSetCreate();
  FcCharSetAddChar(cs, cp);
  FcPatternAddCharSet(pat, FC_CHARSET, cs);
  FcPatternAddString(pat, FC_LANG, reinterpret_cast<const FcChar8*>("zh-cn"));
  FcConfigSubstitute(nullptr, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res = FcResultNoMatch;
  FcFontSet* set = FcFontSort(nullptr, pat, FcFalse, nullptr, &res);
  if (set) {
    for (int i = 0; i < set->nfont && !found; ++i) {
      FcCharSet* fcs = nullptr;
      FcChar8* file = nullptr;
      if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &fcs) != FcResultMatch || !FcCharSetHasChar(fcs, cp))
        continue;
      if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
      FontFile f;
      f.path = reinterpret_cast<const char*>(file);
      FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &f.index);
      found = std::move(f);
    }
    FcFontSetDestroy(set);
  }
  FcCharSetDestroy(cs);
  FcPatternDestroy(pat);
  return found;
}

}  // namespace bianmin::ui
