#include "printer/gb_text.h"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <mutex>
#include <vector>

namespace bianmin::drivers::printer {
namespace {

const char* iconv_name(FontSet set) {
  switch (set) {
    case FontSet::gb2312: return "EUC-CN";
    case FontSet::gbk: return "GBK";
    case FontSet::gb18030_2byte: return "GB18030";
  }
  return "GB18030";
}

bool is_private_use(char32_t cp) {
  return (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
}

// One converted code point; "" when the converter refuses it.
std::string convert_one(iconv_t cd, char32_t cp) {
  char32_t in[1] = {cp};
  char out[8];
  char* ip = reinterpret_cast<char*>(in);
  char* op = out;
  std::size_t il = sizeof in, ol = sizeof out;
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  if (iconv(cd, &ip, &il, &op, &ol) == static_cast<std::size_t>(-1)) return {};
  return std::string(out, static_cast<std::size_t>(op - out));
}

// Both directions of one resident font, built once from iconv: code point
// (BMP; every 2-byte GB code maps into the BMP) → code, and code → point.
struct Tables {
  std::vector<uint16_t> to_code = std::vector<uint16_t>(0x10000, 0);
  std::vector<char32_t> to_char = std::vector<char32_t>(0x10000, 0);
};

Tables build(FontSet set) {
  Tables t;
  iconv_t cd = iconv_open(iconv_name(set), "UTF-32LE");
  if (cd == reinterpret_cast<iconv_t>(-1)) return t;
  for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
    if (is_private_use(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) continue;
    const std::string b = convert_one(cd, cp);
    if (b.size() != 2) continue;
    const auto lead = static_cast<uint8_t>(b[0]), trail = static_cast<uint8_t>(b[1]);
    if (lead < 0x81 || lead == 0xFF || trail < 0x40 || trail == 0x7F || trail == 0xFF) continue;
    const uint16_t code = static_cast<uint16_t>(lead << 8 | trail);
    t.to_code[cp] = code;
    if (t.to_char[code] == 0) t.to_char[code] = cp;
  }
  iconv_close(cd);
  return t;
}

const Tables& tables(FontSet set) {
  static std::array<std::once_flag, 3> once;
  static std::array<Tables, 3> all;
  const auto i = static_cast<std::size_t>(set);
  std::call_once(once[i], [i, set] { all[i] = build(set); });
  return all[i];
}

}  // namespace

std::optional<FontSet> parse_font_set(std::string_view s) {
  if (s == "gb2312") return FontSet::gb2312;
  if (s == "gbk") return FontSet::gbk;
  if (s == "gb18030-2byte" || s == "gb18030") return FontSet::gb18030_2byte;
  return std::nullopt;
}

const char* font_set_key(FontSet f) {
  switch (f) {
    case FontSet::gb2312: return "gb2312";
    case FontSet::gbk: return "gbk";
    case FontSet::gb18030_2byte: return "gb18030-2byte";
  }
  return "gb18030-2byte";
}

std::optional<uint16_t> resident_code(char32_t cp, FontSet set) {
  if (cp < 0x80 || cp >= 0x10000) return std::nullopt;
  const uint16_t c = tables(set).to_code[cp];
  if (c == 0) return std::nullopt;
  return c;
}

std::optional<char32_t> resident_char(uint8_t lead, uint8_t trail, FontSet set) {
  const char32_t cp = tables(set).to_char[static_cast<uint16_t>(lead << 8 | trail)];
  if (cp == 0) return std::nullopt;
  return cp;
}

bool printable_as_text(char32_t cp, FontSet set) {
  if (cp >= 0x20 && cp < 0x7F) return true;
  return resident_code(cp, set).has_value();
}

std::string gb18030_encode(char32_t cp) {
  if (cp < 0x80) return std::string(1, static_cast<char>(cp));
  static std::mutex mu;
  static iconv_t cd = iconv_open("GB18030", "UTF-32LE");
  if (cd == reinterpret_cast<iconv_t>(-1)) return {};
  std::lock_guard<std::mutex> lock(mu);
  return convert_one(cd, cp);
}

char32_t printable_form(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return U' ';
  if (cp == 0x2028 || cp == 0x2029) return U' ';
  if (cp == 0xA5) return 0xFFE5;
  return cp;
}

std::string encode_text_line(std::u32string_view line, FontSet set) {
  std::string out;
  for (char32_t raw : line) {
    const char32_t cp = printable_form(raw);
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (auto code = resident_code(cp, set)) {
      out += static_cast<char>(*code >> 8);
      out += static_cast<char>(*code & 0xFF);
    }
  }
  return out;
}

}  // namespace bianmin::drivers::printer
