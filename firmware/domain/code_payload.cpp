#include "domain/code_payload.h"

#include <algorithm>
#include <cstdint>

#include "base/bytes.h"

namespace bianmin::domain {
namespace {

constexpr std::string_view kReceiptField = "{receipt_no}";
constexpr std::string_view kTokenField = "{token}";
constexpr std::size_t kMaxFieldChars = 128;

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool valid_date(int y, int m, int d) {
  if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

int digits_value(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// One code point of possibly malformed UTF-8 at `s[i]`; advances `i`.
// Malformed sequences (overlong, surrogate, truncated, > U+10FFFF) decode
// to U+FFFD and consume one byte, so the decoder always makes progress.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) len = 2, cp = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) len = 3, cp = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) len = 4, cp = b0 & 0x07, min = 0x10000;
  else {
    ++i;
    return 0xFFFD;
  }
  if (i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

// What a code point becomes in sanitised text.
char32_t safe_code_point(char32_t cp) {
  if (cp < 0x20) return 0x2400 + cp;          // ␀ … ␟ (incl. ESC, GS, CR, LF, TAB)
  if (cp == 0x7F) return 0x2421;              // ␡
  if (cp >= 0x80 && cp <= 0x9F) return 0xFFFD;  // C1 controls (CSI 0x9B …)
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
      (cp >= 0x2066 && cp <= 0x2069))
    return 0xFFFD;  // bidirectional marks and overrides: could reorder what is shown
  if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) return 0xFFFD;  // line breaks, BOM
  if (cp >= 0xFFF9 && cp <= 0xFFFB) return 0xFFFD;                  // interlinear annotation
  if ((cp & 0xFFFE) == 0xFFFE) return 0xFFFD;                       // non-characters
  if (cp >= 0xFDD0 && cp <= 0xFDEF) return 0xFFFD;
  if (cp >= 0xE0000 && cp <= 0xE007F) return 0xFFFD;  // tag characters (invisible)
  return cp;
}

std::string_view trim_ascii_space(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

const char* payload_kind_name(PayloadKind k) {
  switch (k) {
    case PayloadKind::receipt: return "receipt";
    case PayloadKind::text: return "text";
    case PayloadKind::rejected: return "rejected";
  }
  return "text";
}

bool is_receipt_no(std::string_view s) {
  const auto d1 = s.find('-');
  if (d1 == std::string_view::npos || d1 == 0 || d1 > 16) return false;
  for (std::size_t i = 0; i < d1; ++i)
    if (!is_alnum(s[i])) return false;
  std::string_view rest = s.substr(d1 + 1);
  if (rest.size() < 8 + 1 + 4 || rest[8] != '-') return false;
  std::string_view date = rest.substr(0, 8), seq = rest.substr(9);
  if (seq.size() > 9) return false;
  if (!std::all_of(date.begin(), date.end(), is_digit) || !std::all_of(seq.begin(), seq.end(), is_digit))
    return false;
  if (!valid_date(digits_value(date.substr(0, 4)), digits_value(date.substr(4, 2)), digits_value(date.substr(6, 2))))
    return false;
  return std::any_of(seq.begin(), seq.end(), [](char c) { return c != '0'; });
}

bool is_receipt_token(std::string_view s) {
  if (s.size() < 8 || s.size() > kMaxFieldChars) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '-' || c == '_'; });
}

std::string sanitize_text(std::string_view raw, std::size_t max_bytes, bool* truncated) {
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
  std::string out;
  out.reserve(std::min(raw.size(), max_bytes) + 4);
  bool cut = false;
  std::size_t i = 0;
  while (i < raw.size()) {
    std::string piece;
    utf8_append(piece, safe_code_point(next_code_point(raw, i)));
    if (out.size() + piece.size() > max_bytes) {
      cut = true;
      break;
    }
    out += piece;
  }
  if (cut && max_bytes >= 2 * kEllipsis.size()) {
    // Make room for the ellipsis at a code-point boundary (when there is
    // room for more than the ellipsis itself).
    while (!out.empty() && out.size() + kEllipsis.size() > max_bytes) {
      std::size_t n = out.size() - 1;
      while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
      out.resize(n);
    }
    if (out.size() + kEllipsis.size() <= max_bytes) out += kEllipsis;
  }
  if (truncated) *truncated = cut;
  return out;
}

Result<ReceiptUrlPattern> ReceiptUrlPattern::compile(std::string_view tmpl) {
  ReceiptUrlPattern p;
  std::string literal;
  int receipts = 0, tokens = 0;
  for (std::size_t i = 0; i < tmpl.size();) {
    const std::string_view rest = tmpl.substr(i);
    if (rest.substr(0, kReceiptField.size()) == kReceiptField || rest.substr(0, kTokenField.size()) == kTokenField) {
      const bool is_receipt = rest.substr(0, kReceiptField.size()) == kReceiptField;
      if (!p.fields_.empty() && literal.empty())
        return make_error("config_invalid", "receipt.query_url: two placeholders need text between them");
      p.literals_.push_back(literal);
      literal.clear();
      p.fields_.push_back(is_receipt ? Field::receipt_no : Field::token);
      (is_receipt ? receipts : tokens) += 1;
      i += is_receipt ? kReceiptField.size() : kTokenField.size();
      continue;
    }
    const char c = tmpl[i++];
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7F)
      return make_error("config_invalid", "receipt.query_url: contains a space or control character");
    literal += c;
  }
  p.literals_.push_back(literal);
  if (receipts != 1) return make_error("config_invalid", "receipt.query_url: needs exactly one {receipt_no}");
  if (tokens > 1) return make_error("config_invalid", "receipt.query_url: {token} may occur only once");
  if (p.literals_.front().empty())
    return make_error("config_invalid", "receipt.query_url: must start with fixed text (scheme and host)");
  // Scheme and host are case-insensitive in a URL; path and query are not.
  const std::string& pre = p.literals_.front();
  const auto scheme = pre.find("://");
  if (scheme != std::string::npos) {
    const auto slash = pre.find('/', scheme + 3);
    p.host_end_ = slash == std::string::npos ? pre.size() : slash;
  }
  return p;
}

bool ReceiptUrlPattern::claims(std::string_view s) const {
  const std::string& pre = prefix();
  if (s.size() < pre.size()) return false;
  for (std::size_t i = 0; i < pre.size(); ++i) {
    const bool fold = i < host_end_;
    if (fold ? lower(s[i]) != lower(pre[i]) : s[i] != pre[i]) return false;
  }
  return true;
}

Result<ReceiptQuery> ReceiptUrlPattern::match(std::string_view s) const {
  if (!claims(s)) return make_error("not_receipt_url", "not this system's receipt query URL");
  // Fields are short runs of URL-safe characters; try each end position
  // (bounded by kMaxFieldChars) so that literals made of the same
  // characters still match.
  ReceiptQuery q;
  auto allowed = [](Field f, char c) { return is_alnum(c) || c == '-' || (f == Field::token && c == '_'); };
  struct Walker {
    const ReceiptUrlPattern& p;
    std::string_view s;
    ReceiptQuery& q;
    decltype(allowed)& ok;
    bool run(std::size_t field, std::size_t pos) {
      if (field == p.fields_.size()) return pos == s.size();
      const std::string& next = p.literals_[field + 1];
      for (std::size_t len = 1; len <= kMaxFieldChars && pos + len <= s.size(); ++len) {
        if (!ok(p.fields_[field], s[pos + len - 1])) break;
        if (s.substr(pos + len, next.size()) != next) continue;
        std::string_view value = s.substr(pos, len);
        if (p.fields_[field] == Field::receipt_no ? !is_receipt_no(value) : !is_receipt_token(value)) continue;
        if (run(field + 1, pos + len + next.size())) {
          (p.fields_[field] == Field::receipt_no ? q.receipt_no : q.token) = std::string(value);
          return true;
        }
      }
      return false;
    }
  } walker{*this, s, q, allowed};
  if (!walker.run(0, prefix().size()))
    return make_error("receipt_url_malformed",
                      "回执二维码格式不正确 / the receipt QR code is malformed (expected " + prefix() +
                          "… with a receipt number like K03-20261122-0042)");
  return q;
}

CodePayload parse_code_payload(std::string_view raw, const ReceiptUrlPattern& pattern, const PayloadLimits& limits) {
  CodePayload out;
  out.raw_bytes = raw.size();
  out.text = sanitize_text(raw, limits.max_text_bytes, &out.truncated);
  const std::string_view url = trim_ascii_space(raw);
  if (!pattern.claims(url)) return out;
  auto m = pattern.match(url);
  if (m) {
    out.kind = PayloadKind::receipt;
    out.receipt = std::move(*m);
  } else {
    out.kind = PayloadKind::rejected;
    out.reject_reason = m.error().message;
  }
  return out;
}

}  // namespace bianmin::domain
