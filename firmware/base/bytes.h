// Small helpers for byte strings: hex and UTF-8 code points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// Overwrites the string's buffer before it is released, so that resident
// data does not linger in freed heap memory.
void secure_wipe(std::string& s);

}  // namespace bianmin
