// Build-time generator of the hanzi → pinyin table.
//
// Reads Unihan_Readings.txt (from Debian's unicode-data package) on stdin and
// writes C++ tables on stdout. For each character it keeps the readings of
// kMandarin (the customary reading) and kXHC1983 (every reading the 现代汉语词典
// lists, which covers the polyphones people actually type: 重 chong/zhong,
// 长 chang/zhang, 行 xing/hang), with tones removed and ü written as v.
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Removes tone marks; returns "" for anything that is not a plain syllable.
std::string toneless(const std::string& s) {
  static const std::map<std::string, std::string> kMap = {
      {"ā", "a"}, {"á", "a"}, {"ǎ", "a"}, {"à", "a"}, {"ē", "e"}, {"é", "e"}, {"ě", "e"},
      {"è", "e"}, {"ī", "i"}, {"í", "i"}, {"ǐ", "i"}, {"ì", "i"}, {"ō", "o"}, {"ó", "o"},
      {"ǒ", "o"}, {"ò", "o"}, {"ū", "u"}, {"ú", "u"}, {"ǔ", "u"}, {"ù", "u"}, {"ǖ", "v"},
      {"ǘ", "v"}, {"ǚ", "v"}, {"ǜ", "v"}, {"ü", "v"}, {"ê", "e"}, {"ḿ", "m"}, {"ń", "n"},
      {"ň", "n"}, {"ǹ", "n"}, {"\xcc\x80", ""}, {"\xcc\x84", ""}, {"\xcc\x81", ""},
      {"\xcc\x8c", ""}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 'a' || c > 'z') return "";
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    bool found = false;
    for (std::size_t len = 2; len <= 3 && !found; ++len) {
      auto it = kMap.find(s.substr(i, len));
      if (it != kMap.end()) {
        out += it->second;
        i += len;
        found = true;
      }
    }
    if (!found) return "";
  }
  return out;
}

}  // namespace

int main() {
  std::map<uint32_t, std::set<std::string>> readings;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty() || line[0] != 'U') continue;
    std::istringstream in(line);
    std::string cp_text, field;
    in >> cp_text >> field;
    if (field != "kMandarin" && field != "kXHC1983") continue;
    const uint32_t cp = static_cast<uint32_t>(std::stoul(cp_text.substr(2), nullptr, 16));
    std::string token;
    while (in >> token) {
      const auto colon = token.find(':');
      if (colon != std::string::npos) token = token.substr(colon + 1);
      const std::string syl = toneless(token);
      if (syl.empty()) continue;
      readings[cp].insert(syl);
      // People type 绿 as "lv" or "lu": keep both spellings of ü.
      if (syl.find('v') != std::string::npos) {
        std::string u = syl;
        for (auto& ch : u)
          if (ch == 'v') ch = 'u';
        readings[cp].insert(u);
      }
    }
  }
  std::map<std::string, uint16_t> ids;
  for (const auto& [cp, set] : readings)
    for (const auto& s : set) ids.emplace(s, 0);
  std::vector<std::string> syllables;
  for (auto& [s, id] : ids) {
    id = static_cast<uint16_t>(syllables.size());
    syllables.push_back(s);
  }

  std::cout << "// Generated at build time by gen_pinyin_table from Unihan_Readings.txt.\n"
               "// Do not edit.\n#include <cstdint>\n\n"
               "namespace bianmin::catalog::pinyin_data {\n\n";
  std::cout << "extern const char* const kSyllables[] = {";
  for (std::size_t i = 0; i < syllables.size(); ++i)
    std::cout << (i % 12 ? " " : "\n    ") << '"' << syllables[i] << "\",";
  std::cout << "\n};\nextern const uint32_t kSyllableCount = " << syllables.size() << ";\n\n";
  std::cout << "extern const uint32_t kCodepoints[] = {";
  std::size_t i = 0;
  for (const auto& [cp, set] : readings) std::cout << (i++ % 10 ? " " : "\n    ") << "0x" << std::hex << cp << std::dec << ",";
  std::cout << "\n};\nextern const uint32_t kCodepointCount = " << readings.size() << ";\n\n";
  std::cout << "extern const uint32_t kOffsets[] = {";
  uint32_t off = 0;
  i = 0;
  for (const auto& [cp, set] : readings) {
    std::cout << (i++ % 12 ? " " : "\n    ") << off << ",";
    off += static_cast<uint32_t>(set.size());
  }
  std::cout << " " << off << "\n};\n\n";
  std::cout << "extern const uint16_t kReadings[] = {";
  i = 0;
  for (const auto& [cp, set] : readings)
    for (const auto& s : set) std::cout << (i++ % 16 ? " " : "\n    ") << ids[s] << ",";
  std::cout << "\n};\n\n}  // namespace bianmin::catalog::pinyin_data\n";
  std::fprintf(stderr, "gen_pinyin_table: %zu characters, %zu syllables, %u readings\n",
               readings.size(), syllables.size(), off);
  return readings.size() > 20000 ? 0 : 1;  // a truncated input must not build
}
