// Chinese text for the printer's resident font (devices.md §2.1).
//
// Printers take GB18030 in Chinese mode, but their font holds only 2-byte
// codes, and which ones depends on the model: GB 2312 (6763 hanzi), GBK
// (21003) or the whole 2-byte area of GB18030. A character outside the set
// must not be sent as text (it prints as '?' or as mojibake such as "0 6"
// for ¥); the layout renders such a line as a raster image instead.
//
// Encoding uses glibc's iconv (GB18030, GBK, EUC-CN converters): complete,
// maintained tables that ship with libc on every Debian system, instead of a
// 24 000-entry table of our own that could drift from the standard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bianmin::drivers::printer {

enum class FontSet { gb2312, gbk, gb18030_2byte };
std::optional<FontSet> parse_font_set(std::string_view s);  // "gb2312", "gbk", "gb18030-2byte"
const char* font_set_key(FontSet f);

// The 2-byte code (lead << 8 | trail) of `cp` if the resident font `set`
// has it, else nullopt. Private-use code points never count: no printer
// font draws them.
std::optional<uint16_t> resident_code(char32_t cp, FontSet set);
// The character a printer with font `set` prints for the 2-byte code, or
// nullopt when its font has nothing there.
std::optional<char32_t> resident_char(uint8_t lead, uint8_t trail, FontSet set);

// Printable as text: printable ASCII, or in the resident font.
bool printable_as_text(char32_t cp, FontSet set);

// The full GB18030 encoding of a code point: 1, 2 or 4 bytes ("" on error).
std::string gb18030_encode(char32_t cp);

// Code points normalised for printing: controls become spaces (a name must
// never smuggle a command into the stream), ¥ (U+00A5, 4 bytes in GB18030)
// becomes the full-width ￥ (U+FFE5 = A3 A4) that every Chinese font has.
char32_t printable_form(char32_t cp);

// GB bytes of a line that printable_as_text() accepts entirely.
std::string encode_text_line(std::u32string_view line, FontSet set);

}  // namespace bianmin::drivers::printer
