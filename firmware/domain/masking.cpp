#include "domain/masking.h"

#include <array>

#include "base/bytes.h"

namespace bianmin::domain {
namespace {

// Two-character surnames (复姓) in common use.
constexpr std::array<std::u32string_view, 24> kCompoundSurnames = {
    U"欧阳", U"司马", U"上官", U"诸葛", U"东方", U"皇甫", U"尉迟", U"公孙",
    U"慕容", U"长孙", U"宇文", U"司徒", U"夏侯", U"令狐", U"端木", U"独孤",
    U"南宫", U"西门", U"轩辕", U"呼延", U"澹台", U"公冶", U"申屠", U"万俟"};

}  // namespace

std::string mask_name(std::string_view name) {
  auto cps = utf8_decode(name);
  if (!cps || cps->empty()) return "*";
  const std::u32string s(cps->begin(), cps->end());
  std::string out;
  if (s[0] < 0x80) {
    // Latin names: keep each word's initial.
    bool word_start = true;
    for (char32_t c : s) {
      if (c == ' ' || c == '-' || c == ',') {
        utf8_append(out, c);
        word_start = true;
      } else {
        utf8_append(out, word_start ? c : U'*');
        word_start = false;
      }
    }
    return out;
  }
  std::size_t keep = 1;
  for (auto sur : kCompoundSurnames)
    if (s.size() > 2 && s.compare(0, 2, sur) == 0) keep = 2;
  for (std::size_t i = 0; i < s.size(); ++i) utf8_append(out, i < keep ? s[i] : U'*');
  if (s.size() == 1) out += "*";
  return out;
}

std::string mask_id_number(std::string_view id) {
  if (id.size() <= 10) return std::string(id.size(), '*');
  return std::string(id.substr(0, 6)) + std::string(id.size() - 10, '*') + std::string(id.substr(id.size() - 4));
}

std::string mask_phone(std::string_view p) {
  if (p.size() < 7) return std::string(p.size(), '*');
  return std::string(p.substr(0, 3)) + std::string(p.size() - 7, '*') + std::string(p.substr(p.size() - 4));
}

}  // namespace bianmin::domain
