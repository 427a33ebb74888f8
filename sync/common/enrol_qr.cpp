#include "common/enrol_qr.h"

#include <cctype>
#include <optional>

#include "common/url.h"

namespace bianmin::sync {
namespace {

constexpr std::string_view kScheme = "bianmin-enrol:";

Error bad(const std::string& what) { return make_error("input_invalid", "enrolment QR: " + what); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

// "sha256:<hex>" with or without colons between the bytes, any case.
std::optional<std::string> fingerprint_of(std::string_view v) {
  constexpr std::string_view kAlgo = "sha256:";
  if (v.size() < kAlgo.size()) return std::nullopt;
  for (std::size_t i = 0; i < kAlgo.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(v[i])) != kAlgo[i]) return std::nullopt;
  std::string hex;
  for (char c : v.substr(kAlgo.size())) {
    if (c == ':') continue;
    if (hex_value(c) < 0) return std::nullopt;
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 64) return std::nullopt;
  return hex;
}

}  // namespace

bool is_enrol_qr(std::string_view text) {
  if (text.size() < kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != kScheme[i]) return false;
  return true;
}

Result<EnrolQr> parse_enrol_qr(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  if (text.size() > kMaxEnrolQrBytes) return bad("longer than " + std::to_string(kMaxEnrolQrBytes) + " bytes");
  if (!is_enrol_qr(text)) return bad("not a bianmin-enrol: code");
  std::string_view rest = text.substr(kScheme.size());
  if (rest.empty() || rest.front() != '?') return bad("the parameters must follow '?'");
  rest.remove_prefix(1);

  std::optional<std::string> central, code, ca;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) return bad("parameter without a value");
    const std::string_view name = pair.substr(0, eq);
    auto value = percent_decode(pair.substr(eq + 1));
    if (!value) return bad("bad percent-encoding in " + std::string(name.substr(0, 32)));
    std::optional<std::string>* slot = name == "central" ? &central : name == "code" ? &code : name == "ca" ? &ca : nullptr;
    if (!slot) continue;  // a later central's addition
    if (*slot) return bad(std::string(name) + " appears twice");
    *slot = std::move(*value);
  }
  if (!central || !code || !ca) return bad("central, code and ca are all required");
  while (!central->empty() && central->back() == '/') central->pop_back();
  if (central->rfind("https://", 0) != 0 || central->size() <= 8 || !printable_ascii(*central))
    return bad("central must be an https:// URL");
  if (code->empty() || code->size() > 64 || !printable_ascii(*code)) return bad("code must be 1-64 printable characters");
  auto fp = fingerprint_of(*ca);
  if (!fp) return bad("ca must be sha256: and the 64 hex digits of the CA certificate's fingerprint");
  return EnrolQr{std::move(*central), std::move(*code), std::move(*fp)};
}

std::string format_enrol_qr(const EnrolQr& qr) {
  return std::string(kScheme) + "?central=" + url_encode(qr.central_url, ":/") + "&code=" + url_encode(qr.code) +
         "&ca=sha256:" + qr.ca_fingerprint;
}

}  // namespace bianmin::sync
