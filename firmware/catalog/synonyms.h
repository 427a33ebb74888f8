// Everyday names for published items (低保 for 最低生活保障, 准生证 for
// 生育登记): residents search by what they call a thing, the lists use the
// legal name. The table is assets/search/synonyms.txt, compiled in.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace bianmin::catalog {

struct Synonym {
  std::string alias;   // what people type
  std::string target;  // text in item names
};

// Parses "ALIAS TARGET" lines; `#` comments and blank lines are skipped.
std::vector<Synonym> parse_synonyms(const std::string& text);
// The built-in table.
const std::vector<Synonym>& builtin_synonyms();

}  // namespace bianmin::catalog
