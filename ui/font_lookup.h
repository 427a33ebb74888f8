// Finding font files through fontconfig: the kiosk's CJK face, and another
// installed font for a character that face lacks. The kiosk's fonts
// (fonts.cpp) and `bianmin diagnose` (diagnose_ui.cpp) look the same way, so
// that the check answers for the fonts the kiosk will actually draw with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"

namespace bianmin::ui {

// The kiosk's faces (Debian's fonts-noto-cjk).
inline constexpr const char* kRegularFontPattern = "Noto Sans CJK SC:style=Regular:lang=zh-cn";
inline constexpr const char* kBoldFontPattern = "Noto Sans CJK SC:style=Bold:lang=zh-cn";

struct FontFile {
  std::string path;
  int index = 0;  // the face within a collection (.ttc)
};

// The best match for `pattern` that has hanzi. Error "font_missing" names
// the package to install.
Result<FontFile> find_cjk_font(const char* pattern);
// The installed font, in fontconfig's order for zh-cn, that has `cp`; none
// when no font has it.
std::optional<FontFile> font_with_char(uint32_t cp);

}  // namespace bianmin::ui
