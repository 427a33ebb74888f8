#include "catalog/synonyms.h"

#include <sstream>

namespace bianmin::catalog {

extern const char* const kSynonymsText;  // generated from assets/search/synonyms.txt

std::vector<Synonym> parse_synonyms(const std::string& text) {
  std::vector<Synonym> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Synonym s;
    if (fields >> s.alias >> s.target) out.push_back(std::move(s));
  }
  return out;
}

const std::vector<Synonym>& builtin_synonyms() {
  static const std::vector<Synonym> table = parse_synonyms(kSynonymsText);
  return table;
}

}  // namespace bianmin::catalog
