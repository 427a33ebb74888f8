#include "i18n.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <mutex>

#include "base/bytes.h"
#include "base/fs.h"
#include "base/log.h"

namespace bianmin::ui {

Result<Strings> Strings::load(const std::string& dir) {
  Strings s;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    const std::string lang = entry.path().stem().string();
    auto text = fs::read_file(entry.path().string());
    if (!text) return text.error();
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return make_error("strings_invalid", entry.path().string() + " is not a JSON object");
    auto& table = s.texts_[lang];
    for (const auto& [k, v] : j.items()) {
      if (!v.is_string()) return make_error("strings_invalid", entry.path().string() + ": " + k + " is not a string");
      table.emplace(k, v.get<std::string>());
    }
  }
  if (ec) return make_error("strings_missing", "cannot read " + dir + ": " + ec.message());
  if (!s.texts_.count("zh-CN")) return make_error("strings_missing", dir + "/zh-CN.json not found");
  return s;
}

bool Strings::has(std::string_view lang, std::string_view key) const {
  auto t = texts_.find(lang);
  return t != texts_.end() && t->second.find(key) != t->second.end();
}

const std::string& Strings::get(std::string_view lang, std::string_view key) const {
  for (std::string_view l : {lang, std::string_view("zh-CN")}) {
    auto t = texts_.find(l);
    if (t == texts_.end()) continue;
    auto it = t->second.find(key);
    if (it != t->second.end()) return it->second;
  }
  // Visible, and logged once per key.
  static std::mutex mu;
  static std::map<std::string, std::string, std::less<>> missing;
  std::lock_guard lock(mu);
  auto it = missing.find(key);
  if (it == missing.end()) {
    log::warn("ui", "missing translation", {{"key", std::string(key)}});
    it = missing.emplace(std::string(key), std::string(key)).first;
  }
  return it->second;
}

std::string Strings::format(std::string_view lang, std::string_view key,
                            const std::vector<std::pair<std::string, std::string>>& args) const {
  std::string s = get(lang, key);
  for (const auto& [name, value] : args) {
    const std::string ph = "{" + name + "}";
    for (auto pos = s.find(ph); pos != std::string::npos; pos = s.find(ph, pos + value.size()))
      s.replace(pos, ph.size(), value);
  }
  return s;
}

std::vector<std::string> Strings::languages() const {
  std::vector<std::string> out;
  for (const auto& [l, _] : texts_) out.push_back(l);
  return out;
}

void Strings::collect_codepoints(std::set<uint32_t>& out) const {
  std::vector<uint32_t> cps;
  for (const auto& [_, table] : texts_)
    for (const auto& [k, v] : table) {
      cps.clear();
      decode_utf8(v, cps);
      out.insert(cps.begin(), cps.end());
    }
}

std::vector<std::string> Strings::missing(std::string_view lang) const {
  std::vector<std::string> out;
  auto zh = texts_.find(std::string_view("zh-CN"));
  for (const auto& [k, _] : zh->second)
    if (!has(lang, k)) out.push_back(k);
  return out;
}

void decode_utf8(std::string_view s, std::vector<uint32_t>& out) {
  for (char32_t cp : utf8_decode_lossy(s)) out.push_back(static_cast<uint32_t>(cp));
}

}  // namespace bianmin::ui
