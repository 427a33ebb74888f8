// Hanzi → toneless pinyin syllables, from a table generated at build time
// out of Unicode's Unihan database (Debian package unicode-data).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace bianmin::catalog::pinyin {

using SyllableId = uint16_t;

// All readings of a character; empty for characters without one (non-Han).
std::span<const SyllableId> readings(char32_t cp);
std::string_view syllable(SyllableId id);
std::size_t syllable_count();

}  // namespace bianmin::catalog::pinyin
