// Small helpers for byte strings: hex and UTF-8 code points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bianmin {

std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);
bool is_lower_hex(std::string_view s, std::size_t len);

// Decodes UTF-8 into code points. Returns nullopt on malformed input
// (overlongs, surrogates, truncated sequences, > U+10FFFF).
std::optional<std::vector<char32_t>> utf8_decode(std::string_view s);
bool is_valid_utf8(std::string_view s);
// For display: like utf8_decode, but every malformed sequence becomes one
// U+FFFD and decoding goes on, so broken text is shown, never dropped.
std::vector<char32_t> utf8_decode_lossy(std::string_view s);
void utf8_append(std::string& out, char32_t cp);
// Number of code points in valid UTF-8 (bytes that are not continuation bytes).
std::size_t utf8_length(std::string_view s);

// Overwrites n bytes at p in a way the compiler may not drop.
void cleanse(void* p, std::size_t n);
// Overwrites the whole buffer (its capacity, not just its size: a shorter
// value assigned over a longer one leaves the tail there) and releases it,
// so that resident data does not linger in freed heap memory.
void secure_wipe(std::string& s);
template <class T>
void secure_wipe(std::vector<T>& v) {
  static_assert(std::is_trivially_copyable_v<T>, "elements are overwritten as bytes");
  v.resize(v.capacity());  // the spare capacity becomes elements that may be written
  cleanse(v.data(), v.size() * sizeof(T));
  v.clear();
  v.shrink_to_fit();
}

}  // namespace bianmin
