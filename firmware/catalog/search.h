// Catalogue search as a resident uses it on a touch screen: type part of a
// name in hanzi, or its pinyin — initials (sfz), full syllables (shenfen) or
// any mix (shenfz) — and narrow by category, department or "can be done at
// this terminal".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "catalog/synonyms.h"

namespace bianmin::catalog {

struct SearchQuery {
  std::string text;                 // empty: everything that passes the filters
  std::optional<Category> category;
  std::string department;           // exact implementing_body, empty for any
  bool kiosk_only = false;
  std::size_t limit = 50;
};

// Why an item matched, best first.
enum class MatchKind : uint8_t { exact = 0, name_prefix, name_substring, pinyin_prefix, pinyin, code, browse };

struct SearchHit {
  const Item* item;
  MatchKind kind;
};

class SearchIndex {
 public:
  // The catalogue must outlive the index. Items whose names contain a
  // synonym's target are also found by its alias.
  explicit SearchIndex(const Catalog& catalog, const std::vector<Synonym>& synonyms = builtin_synonyms());

  std::vector<SearchHit> search(const SearchQuery& q) const;
  // Distinct implementing bodies, in catalogue order of first appearance.
  const std::vector<std::string>& departments() const { return departments_; }
  std::size_t size() const { return item_count_; }

 private:
  struct Entry {
    const Item* item;
    std::string name_lower;   // ASCII-lowercased name
    std::string code_lower;
    uint32_t chars_begin, chars_end;  // into char_syl_begin_
    bool alias;               // an everyday name, not the item's own
  };
  void add_entry(const Item& item, const std::string& text, bool alias);
  bool pinyin_match(const Entry& e, std::string_view q, const std::vector<uint64_t>& ext,
                    bool anchored) const;

  std::vector<Entry> entries_;
  // Flattened per-character readings: character k of the index has
  // syllables syl_[char_syl_begin_[k] .. char_syl_begin_[k+1]).
  std::vector<uint32_t> char_syl_begin_;
  std::vector<uint16_t> syl_;
  std::vector<std::string> departments_;
  std::size_t item_count_ = 0;
};

// Query text as matched: trimmed, ASCII lower-cased, spaces and apostrophes
// removed when the query is pinyin ("Shen Fen" → "shenfen").
std::string normalize_query(std::string_view text);

}  // namespace bianmin::catalog
