// The kiosk's words: every string a resident reads comes from the
// translation files assets/i18n/<lang>.json, keyed by the session's message
// keys (view.h: "card.read_failed", screen keys) and the screens' element
// ids ("home.apply"). Nothing a resident reads is written in code.
//
// A file is one flat JSON object {"key": "text"}. Texts may hold named
// placeholders ("第{page}页，共{pages}页") filled in by format(). A key
// missing in English falls back to zh-CN, and a key missing in both shows
// the key itself (and is logged once), so a gap is visible, never blank.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace bianmin::ui {

class Strings {
 public:
  // Loads every <lang>.json of `dir` (zh-CN.json must exist).
  static Result<Strings> load(const std::string& dir);

  const std::string& get(std::string_view lang, std::string_view key) const;
  bool has(std::string_view lang, std::string_view key) const;
  // get() with {name} placeholders replaced.
  std::string format(std::string_view lang, std::string_view key,
                     const std::vector<std::pair<std::string, std::string>>& args) const;
  std::vector<std::string> languages() const;
  // Every character of every text, for the glyph atlas.
  void collect_codepoints(std::set<uint32_t>& out) const;
  // Keys present in zh-CN but not in `lang` (tests keep this empty).
  std::vector<std::string> missing(std::string_view lang) const;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> texts_;
};

// Decodes UTF-8 leniently (a bad byte becomes U+FFFD): what is drawn must
// never stop at a bad byte. Encoding is bianmin::utf8_append (base/bytes.h).
void decode_utf8(std::string_view s, std::vector<uint32_t>& out);

}  // namespace bianmin::ui
