#include "domain/ticket.h"

#include <algorithm>
#include <cstdio>

namespace bianmin::domain {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::optional<catalog::Category> category_by_name(std::string_view s) {
  if (auto c = catalog::parse_category(s)) return c;
  for (int i = 0; i < catalog::kCategoryCount; ++i) {
    const auto c = static_cast<catalog::Category>(i);
    if (s == catalog::category_zh(c)) return c;
  }
  return std::nullopt;
}

}  // namespace

const char* ticket_state_key(TicketState s) {
  switch (s) {
    case TicketState::waiting: return "waiting";
    case TicketState::called: return "called";
    case TicketState::served: return "served";
    case TicketState::no_show: return "no_show";
  }
  return "?";
}

Result<TicketState> parse_ticket_state(std::string_view key) {
  for (auto s : {TicketState::waiting, TicketState::called, TicketState::served, TicketState::no_show})
    if (key == ticket_state_key(s)) return s;
  return make_error("input_invalid", "unknown ticket state: " + std::string(key));
}

std::string ticket_number(std::string_view line, int seq) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%03d", seq);
  return std::string(line) + digits;
}

bool QueueLine::serves(const catalog::Item& item) const {
  if (categories.empty() && item_codes.empty()) return true;
  return std::find(categories.begin(), categories.end(), item.category) != categories.end() ||
         std::find(item_codes.begin(), item_codes.end(), item.code) != item_codes.end();
}

Result<std::vector<QueueLine>> parse_queue_lines(std::string_view spec) {
  std::vector<QueueLine> lines;
  for (std::string_view part : split(spec, ';')) {
    part = trim(part);
    if (part.empty()) continue;
    const auto fields = split(part, ':');
    if (fields.size() < 2 || fields.size() > 3)
      return make_error("input_invalid", "queue line \"" + std::string(part) + "\": expected LETTER:NAME[:WHAT,…]");
    QueueLine line;
    line.letter = std::string(trim(fields[0]));
    line.name = std::string(trim(fields[1]));
    if (line.letter.size() != 1 || line.letter[0] < 'A' || line.letter[0] > 'Z')
      return make_error("input_invalid", "queue line \"" + std::string(part) + "\": the letter must be one of A-Z");
    if (line.name.empty()) return make_error("input_invalid", "queue line " + line.letter + " has no name");
    for (const auto& l : lines)
      if (l.letter == line.letter) return make_error("input_invalid", "queue line " + line.letter + " is listed twice");
    if (fields.size() == 3) {
      for (std::string_view what : split(fields[2], ',')) {
        what = trim(what);
        if (what.empty()) continue;
        if (auto c = category_by_name(what)) line.categories.push_back(*c);
        else line.item_codes.emplace_back(what);
      }
    }
    lines.push_back(std::move(line));
  }
  if (lines.empty()) return make_error("input_invalid", "queue.lines names no service line");
  return lines;
}

}  // namespace bianmin::domain
