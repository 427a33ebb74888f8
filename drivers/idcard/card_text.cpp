#include "idcard/card_text.h"

#include <array>
#include <vector>

#include "base/bytes.h"
#include "domain/id_number.h"

namespace bianmin::drivers::idcard {
namespace {

// GB 3304-91, index = code - 1 (spec §1.7; card text has no trailing 族).
constexpr std::array<std::string_view, 56> kNations = {
    "汉",   "蒙古", "回",   "藏",     "维吾尔", "苗",   "彝",   "壮",   "布依",   "朝鲜", "满",   "侗",
    "瑶",   "白",   "土家", "哈尼",   "哈萨克", "傣",   "黎",   "傈僳", "佤",     "畲",   "高山", "拉祜",
    "水",   "东乡", "纳西", "景颇",   "柯尔克孜", "土", "达斡尔", "仫佬", "羌",   "布朗", "撒拉", "毛南",
    "仡佬", "锡伯", "阿昌", "普米",   "塔吉克", "怒",   "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固",
    "京",   "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺"};
constexpr std::string_view kOther = "其他";                 // 97
constexpr std::string_view kForeignOrigin = "外国血统中国籍人士";  // 98

std::span<const uint8_t> slice(std::span<const uint8_t> b, std::size_t off, std::size_t len) {
  if (off >= b.size()) return {};
  return b.subspan(off, std::min(len, b.size() - off));
}

std::string text_at(std::span<const uint8_t> b, std::size_t off, std::size_t len) {
  return ucs2le_to_utf8(slice(b, off, len));
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

void set_sex(domain::IdentityCard& c, std::string code) {
  c.sex = std::string(sex_name(code));
  c.sex_code = std::move(code);
}

// The raw text of a date field is the resident's birth date: wiped once
// it is converted.
std::string date_at(std::span<const uint8_t> b, std::size_t off, std::size_t len) {
  std::string raw = text_at(b, off, len);
  std::string iso = iso_date(raw);
  secure_wipe(raw);
  return iso;
}

void set_id_number(domain::IdentityCard& c, std::string id) {
  c.id_number = domain::normalize_id_number(id);
  secure_wipe(id);
  if (c.layout == domain::CardLayout::foreign_2017)
    c.id_number_valid = domain::is_foreign_permanent_2017(c.id_number);
  else
    c.id_number_valid = domain::check_id_number(c.id_number) == domain::IdNumberProblem::none;
}

// Resident and GAT share the first 220 bytes (GAT has no nation field).
void decode_resident_like(std::span<const uint8_t> t, domain::IdentityCard& c) {
  c.name = text_at(t, 0, 30);
  set_sex(c, text_at(t, 30, 2));
  if (c.layout == domain::CardLayout::resident) {
    c.ethnicity_code = text_at(t, 32, 4);
    c.ethnicity = std::string(ethnicity_name(c.ethnicity_code));
  }
  c.birth_date = date_at(t, 36, 16);
  c.address = text_at(t, 52, 70);
  set_id_number(c, text_at(t, 122, 36));
  c.issuer = text_at(t, 158, 30);
  c.valid_from = date_at(t, 188, 16);
  c.valid_until = date_at(t, 204, 16);
  if (c.layout == domain::CardLayout::gat) {
    c.pass_number = text_at(t, 220, 18);
    c.issue_count = text_at(t, 238, 4);
  }
}

void decode_foreign_2017(std::span<const uint8_t> t, domain::IdentityCard& c) {
  c.name_en = text_at(t, 0, 120);
  set_sex(c, text_at(t, 120, 2));
  set_id_number(c, text_at(t, 122, 30));
  c.nationality = text_at(t, 152, 6);
  c.name = text_at(t, 158, 30);
  c.valid_from = date_at(t, 188, 16);
  c.valid_until = date_at(t, 204, 16);
  c.birth_date = date_at(t, 220, 16);
  c.card_version = text_at(t, 236, 4);
  c.issuer = text_at(t, 240, 8);  // code of the accepting authority
}

void decode_foreign_2023(std::span<const uint8_t> t, domain::IdentityCard& c) {
  c.name = text_at(t, 0, 30);
  set_sex(c, text_at(t, 30, 2));
  c.renewal_count = text_at(t, 32, 4);
  c.birth_date = date_at(t, 36, 16);
  // English name: characters 1–35 at 52, 36–46 at 220. Join untrimmed so a
  // space at the boundary survives, then trim.
  std::string en = ucs2le_to_utf8(slice(t, 52, 70), false);
  std::string rest = ucs2le_to_utf8(slice(t, 220, 22), false);
  en.reserve(en.size() + rest.size());  // appended in place: no unwiped old buffer
  en += rest;
  secure_wipe(rest);
  while (!en.empty() && (en.back() == ' ' || en.back() == '\0')) en.pop_back();
  c.name_en = std::move(en);
  set_id_number(c, text_at(t, 122, 36));
  c.valid_from = date_at(t, 188, 16);
  c.valid_until = date_at(t, 204, 16);
  c.nationality = text_at(t, 242, 6);
  c.previous_number_link = text_at(t, 250, 6);
}

}  // namespace

std::string ucs2le_to_utf8(std::span<const uint8_t> b, bool trim) {
  std::vector<char32_t> cps;
  const std::size_t units = b.size() / 2;
  cps.reserve(units);
  for (std::size_t i = 0; i < units; ++i) {
    char32_t u = static_cast<char32_t>(b[2 * i] | (b[2 * i + 1] << 8));
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      const char32_t lo = static_cast<char32_t>(b[2 * i + 2] | (b[2 * i + 3] << 8));
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cps.push_back(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        ++i;
        continue;
      }
    }
    cps.push_back(u);
  }
  if (trim)
    while (!cps.empty() && (cps.back() == U' ' || cps.back() == 0)) cps.pop_back();
  std::string out;
  out.reserve(cps.size() * 4);  // the most UTF-8 needs: the buffer never moves
  for (char32_t u : cps) {
    // Unpaired surrogates are not text; control characters (NUL included)
    // must never reach a screen or a log line.
    if ((u >= 0xD800 && u <= 0xDFFF) || u < 0x20 || u == 0x7F) u = 0xFFFD;
    utf8_append(out, u);
  }
  // The code points are the card's text (a name, an address) in UTF-32.
  secure_wipe(cps);
  return out;
}

std::string_view ethnicity_name(std::string_view code) {
  if (code.size() != 2 || !is_digits(code)) return {};
  const int n = (code[0] - '0') * 10 + (code[1] - '0');
  if (n >= 1 && n <= 56) return kNations[static_cast<std::size_t>(n - 1)];
  if (n == 97) return kOther;
  if (n == 98) return kForeignOrigin;
  return {};
}

std::string_view ethnicity_code(std::string_view name) {
  static constexpr const char* kNum[] = {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
                                         "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24",
                                         "25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35", "36",
                                         "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47", "48",
                                         "49", "50", "51", "52", "53", "54", "55", "56"};
  static constexpr std::string_view kZu = "族";  // accepted on input: "汉族" = "汉"
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < kNations.size(); ++i)
      if (kNations[i] == name) return kNum[i];
    if (name == kOther) return "97";
    if (name == kForeignOrigin) return "98";
    if (name.size() <= kZu.size() || name.substr(name.size() - kZu.size()) != kZu) break;
    name.remove_suffix(kZu.size());
  }
  return {};
}

std::string_view sex_name(std::string_view code) {
  if (code == "1") return "男";
  if (code == "2") return "女";
  if (code == "0") return "未知";
  if (code == "9") return "未说明";
  return {};
}

std::string iso_date(std::string_view s) {
  if (s.size() != 8 || !is_digits(s)) return std::string(s);
  // Built in place: a birth date leaves no temporaries behind.
  std::string out;
  out.reserve(10);
  out.append(s.substr(0, 4)).append(1, '-').append(s.substr(4, 2)).append(1, '-').append(s.substr(6, 2));
  return out;
}

domain::CardLayout detect_layout(std::span<const uint8_t> t) {
  if (t.size() < kTypeFlagOffset + 2 || t[kTypeFlagOffset + 1] != 0) return domain::CardLayout::resident;
  switch (t[kTypeFlagOffset]) {
    case 'I': return domain::CardLayout::foreign_2017;
    case 'Y': return domain::CardLayout::foreign_2023;
    case 'J': return domain::CardLayout::gat;
    default: return domain::CardLayout::resident;
  }
}

domain::IdentityCard decode_text_block(std::span<const uint8_t> t) {
  domain::IdentityCard c;
  c.layout = detect_layout(t);
  switch (c.layout) {
    case domain::CardLayout::resident:
    case domain::CardLayout::gat: decode_resident_like(t, c); break;
    case domain::CardLayout::foreign_2017: decode_foreign_2017(t, c); break;
    case domain::CardLayout::foreign_2023: decode_foreign_2023(t, c); break;
  }
  return c;
}

Result<BaseInfo> split_base_info(std::span<const uint8_t> d, bool with_fingerprint) {
  const std::size_t nlen = with_fingerprint ? 3 : 2;
  if (d.size() < 2 * nlen)
    return make_error("card_data_invalid", "base info too short for its length fields (" + std::to_string(d.size()) +
                                               " bytes)");
  std::size_t len[3] = {0, 0, 0};
  for (std::size_t i = 0; i < nlen; ++i) len[i] = (std::size_t{d[2 * i]} << 8) | d[2 * i + 1];
  const std::size_t need = 2 * nlen + len[0] + len[1] + len[2];
  if (need > d.size())
    return make_error("card_data_invalid", "base info lengths (text " + std::to_string(len[0]) + ", photo " +
                                               std::to_string(len[1]) + ", fingerprint " + std::to_string(len[2]) +
                                               ") exceed the " + std::to_string(d.size() - 2 * nlen) +
                                               " data bytes");
  if (len[0] == 0) return make_error("card_data_invalid", "base info has no text block");
  BaseInfo b;
  std::size_t at = 2 * nlen;
  b.text.assign(d.begin() + static_cast<std::ptrdiff_t>(at), d.begin() + static_cast<std::ptrdiff_t>(at + len[0]));
  at += len[0];
  b.photo.assign(d.begin() + static_cast<std::ptrdiff_t>(at), d.begin() + static_cast<std::ptrdiff_t>(at + len[1]));
  at += len[1];
  b.fingerprint.assign(d.begin() + static_cast<std::ptrdiff_t>(at),
                       d.begin() + static_cast<std::ptrdiff_t>(at + len[2]));
  return b;
}

Result<domain::IdentityCard> decode_base_info(std::span<const uint8_t> data, bool with_fingerprint) {
  BIANMIN_ASSIGN(BaseInfo b, split_base_info(data, with_fingerprint));
  domain::IdentityCard c = decode_text_block(b.text);
  c.photo = std::move(b.photo);
  c.fingerprint = std::move(b.fingerprint);
  secure_wipe(b.text);
  return c;
}

std::string decode_appended_address(std::span<const uint8_t> data) { return ucs2le_to_utf8(data); }

}  // namespace bianmin::drivers::idcard
