#include "base/bytes.h"

#include <openssl/crypto.h>

namespace bianmin {

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nib(hex[i]), lo = nib(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

bool is_lower_hex(std::string_view s, std::size_t len) {
  if (s.size() != len) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

namespace {

// Decodes one sequence at s[i]; returns its length, or 0 when malformed
// (overlong, surrogate, truncated, beyond U+10FFFF).
std::size_t decode_one(std::string_view s, std::size_t i, char32_t* out) {
  const auto c = static_cast<unsigned char>(s[i]);
  char32_t cp;
  std::size_t n;
  if (c < 0x80) {
    cp = c;
    n = 1;
  } else if ((c & 0xe0) == 0xc0) {
    cp = c & 0x1f;
    n = 2;
  } else if ((c & 0xf0) == 0xe0) {
    cp = c & 0x0f;
    n = 3;
  } else if ((c & 0xf8) == 0xf0) {
    cp = c & 0x07;
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3f);
  }
  static const char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  *out = cp;
  return n;
}

}  // namespace

std::optional<std::vector<char32_t>> utf8_decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t n = decode_one(s, i, &cp);
    if (n == 0) return std::nullopt;
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::vector<char32_t> utf8_decode_lossy(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0xfffd;
    const std::size_t n = decode_one(s, i, &cp);
    out.push_back(n ? cp : char32_t{0xfffd});
    // Skip the bad lead byte and any continuation bytes after it.
    i += n ? n : 1;
    if (!n)
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) ++i;
  }
  return out;
}

bool is_valid_utf8(std::string_view s) { return utf8_decode(s).has_value(); }

void utf8_append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xc0) != 0x80) ++n;
  return n;
}

void cleanse(void* p, std::size_t n) {
  if (n > 0) OPENSSL_cleanse(p, n);
}

void secure_wipe(std::string& s) {
  // Bytes past size() are not the string's to write: make them part of it
  // first, then overwrite everything.
  s.resize(s.capacity());
  cleanse(s.data(), s.size());
  s.clear();
  s.shrink_to_fit();
}

}  // namespace bianmin
