#include "catalog/pinyin.h"

#include <algorithm>

namespace bianmin::catalog::pinyin_data {
extern const char* const kSyllables[];
extern const uint32_t kSyllableCount;
extern const uint32_t kCodepoints[];
extern const uint32_t kCodepointCount;
extern const uint32_t kOffsets[];
extern const uint16_t kReadings[];
}  // namespace bianmin::catalog::pinyin_data

namespace bianmin::catalog::pinyin {

namespace d = pinyin_data;

std::span<const SyllableId> readings(char32_t cp) {
  const uint32_t* end = d::kCodepoints + d::kCodepointCount;
  const uint32_t* it = std::lower_bound(d::kCodepoints, end, static_cast<uint32_t>(cp));
  if (it == end || *it != cp) return {};
  const auto i = static_cast<std::size_t>(it - d::kCodepoints);
  return {d::kReadings + d::kOffsets[i], d::kOffsets[i + 1] - d::kOffsets[i]};
}

std::string_view syllable(SyllableId id) {
  return id < d::kSyllableCount ? d::kSyllables[id] : std::string_view();
}

std::size_t syllable_count() { return d::kSyllableCount; }

}  // namespace bianmin::catalog::pinyin
