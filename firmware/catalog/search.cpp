#include "catalog/search.h"

#include <algorithm>
#include <bit>

#include "base/bytes.h"
#include "catalog/pinyin.h"

namespace bianmin::catalog {
namespace {

constexpr std::size_t kMaxPinyinQuery = 62;  // bits of the DP mask

bool is_ascii_alnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

bool is_pinyin_query(std::string_view q) {
  if (q.empty() || q.size() > kMaxPinyinQuery) return false;
  // Digits may mix in: "80zs" finds 80周岁….
  return std::all_of(q.begin(), q.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

// Pseudo-syllables for ASCII letters and digits inside names ("80周岁…").
uint16_t ascii_token(char32_t c) {
  return static_cast<uint16_t>(pinyin::syllable_count() +
                               static_cast<std::size_t>(lower(static_cast<char>(c))));
}

}  // namespace

std::string normalize_query(std::string_view text) {
  std::size_t b = 0, e = text.size();
  while (b < e && (text[b] == ' ' || text[b] == '\t')) ++b;
  while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t')) --e;
  std::string q = ascii_lower(text.substr(b, e - b));
  std::string squeezed;
  for (char c : q)
    if (c != ' ' && c != '\'') squeezed += c;
  return is_pinyin_query(squeezed) ? squeezed : q;
}

void SearchIndex::add_entry(const Item& item, const std::string& text, bool alias) {
  Entry e{
      &item, ascii_lower(text), ascii_lower(item.code), static_cast<uint32_t>(char_syl_begin_.size() - 1), 0,
      alias};
  if (auto cps = utf8_decode(text)) {
    for (char32_t cp : *cps) {
      auto rs = pinyin::readings(cp);
      if (!rs.empty()) {
        syl_.insert(syl_.end(), rs.begin(), rs.end());
      } else if (is_ascii_alnum(cp)) {
        syl_.push_back(ascii_token(cp));
      } else {
        continue;  // punctuation is transparent: 身份证（换领）still matches sfzhl
      }
      char_syl_begin_.push_back(static_cast<uint32_t>(syl_.size()));
    }
  }
  e.chars_end = static_cast<uint32_t>(char_syl_begin_.size() - 1);
  entries_.push_back(std::move(e));
}

SearchIndex::SearchIndex(const Catalog& catalog, const std::vector<Synonym>& synonyms) {
  entries_.reserve(catalog.items.size());
  char_syl_begin_.push_back(0);
  for (const Item& item : catalog.items) {
    add_entry(item, item.name, false);
    std::vector<std::string> added;
    for (const auto& syn : synonyms) {
      if (item.name.find(syn.target) == std::string::npos || item.name.find(syn.alias) != std::string::npos)
        continue;
      if (std::find(added.begin(), added.end(), syn.alias) != added.end()) continue;
      added.push_back(syn.alias);
      add_entry(item, syn.alias, true);
    }
    if (std::find(departments_.begin(), departments_.end(), item.implementing_body) == departments_.end())
      departments_.push_back(item.implementing_body);
  }
  item_count_ = catalog.items.size();
}

// Dynamic programme over the name's characters. Bit p of `mask` means "the
// first p letters of the query have been matched by a run of characters that
// ends here". Each character consumes a non-empty prefix of one of its
// readings, so initials, full syllables and mixes all match. Unanchored, bit
// 0 is set again before every character: a match may start anywhere.
bool SearchIndex::pinyin_match(const Entry& e, std::string_view q, const std::vector<uint64_t>& ext,
                               bool anchored) const {
  const std::size_t stride = q.size() + 1;
  const uint64_t done = uint64_t{1} << q.size();
  uint64_t mask = 1;
  for (uint32_t k = e.chars_begin; k < e.chars_end && mask; ++k) {
    uint64_t next = 0;
    for (uint64_t m = mask; m; m &= m - 1) {
      const auto p = static_cast<std::size_t>(std::countr_zero(m));
      for (uint32_t s = char_syl_begin_[k]; s < char_syl_begin_[k + 1]; ++s)
        next |= ext[syl_[s] * stride + p];
    }
    if (next & done) return true;
    mask = anchored ? next : (next | 1);
  }
  return false;
}

std::vector<SearchHit> SearchIndex::search(const SearchQuery& query) const {
  const std::string q = normalize_query(query.text);
  const bool pinyin = is_pinyin_query(q);

  // ext[s * (n+1) + p]: positions reachable from p by a non-empty prefix of
  // syllable (or ASCII token) s.
  std::vector<uint64_t> ext;
  if (pinyin) {
    const std::size_t n = q.size(), stride = n + 1;
    const std::size_t tokens = pinyin::syllable_count() + 128;
    ext.assign(tokens * stride, 0);
    for (std::size_t s = 0; s < pinyin::syllable_count(); ++s) {
      const std::string_view syl = pinyin::syllable(static_cast<uint16_t>(s));
      for (std::size_t p = 0; p < n; ++p) {
        for (std::size_t k = 0; k < syl.size() && p + k < n && q[p + k] == syl[k]; ++k)
          ext[s * stride + p] |= uint64_t{1} << (p + k + 1);
      }
    }
    for (std::size_t p = 0; p < n; ++p)
      ext[(pinyin::syllable_count() + static_cast<unsigned char>(q[p])) * stride + p] |= uint64_t{1}
                                                                                         << (p + 1);
  }

  std::vector<SearchHit> hits;
  hits.reserve(256);
  bool any_alias = false;
  for (const Entry& e : entries_) {
    const Item& it = *e.item;
    if (query.category && it.category != *query.category) continue;
    if (!query.department.empty() && it.implementing_body != query.department) continue;
    if (query.kiosk_only && !it.kiosk_submittable) continue;
    if (q.empty()) {
      if (!e.alias) hits.push_back({&it, MatchKind::browse});
      continue;
    }
    const auto pos = e.name_lower.find(q);
    if (pos != std::string::npos) {
      const MatchKind k = e.name_lower.size() == q.size() ? MatchKind::exact
                          : pos == 0                      ? MatchKind::name_prefix
                                                          : MatchKind::name_substring;
      hits.push_back({&it, k});
      any_alias = any_alias || e.alias;
      continue;
    }
    if (pinyin && pinyin_match(e, q, ext, /*anchored=*/false)) {
      const bool prefix = pinyin_match(e, q, ext, /*anchored=*/true);
      hits.push_back({&it, prefix ? MatchKind::pinyin_prefix : MatchKind::pinyin});
      any_alias = any_alias || e.alias;
      continue;
    }
    if (q.size() >= 3 && e.code_lower.find(q) != std::string::npos) hits.push_back({&it, MatchKind::code});
  }
  // An item found by its name and by an alias keeps its best match.
  if (any_alias) {
    std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
      return a.item != b.item ? a.item < b.item : a.kind < b.kind;
    });
    hits.erase(std::unique(hits.begin(), hits.end(),
                           [](const SearchHit& a, const SearchHit& b) { return a.item == b.item; }),
               hits.end());
    // Restore catalogue order before ranking, so ties stay in catalogue order.
    std::sort(hits.begin(), hits.end(),
              [](const SearchHit& a, const SearchHit& b) { return a.item < b.item; });
  }
  // Best kind first; among equals, shorter names (closer matches) first;
  // stable, so catalogue order breaks remaining ties.
  std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.kind == MatchKind::browse) return false;
    return a.item->name.size() < b.item->name.size();
  });
  if (hits.size() > query.limit) hits.resize(query.limit);
  return hits;
}

}  // namespace bianmin::catalog
