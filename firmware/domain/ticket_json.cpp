#include "domain/ticket_json.h"

namespace bianmin::domain {
namespace {

using json = nlohmann::json;

Error bad(const std::string& field) { return make_error("bad_ticket", "ticket field " + field + " is missing or invalid"); }

bool is_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

Result<std::string> text(const json& j, const char* field, size_t max, bool required) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return bad(field);
    return std::string();
  }
  if (!it->is_string()) return bad(field);
  std::string s = it->get<std::string>();
  if (s.size() > max || (required && s.empty())) return bad(field);
  return s;
}

}  // namespace

json ticket_to_json(const Ticket& t) {
  return {{"number", t.number},       {"line", t.line},           {"line_name", t.line_name},
          {"day", t.day},             {"issued_at", t.issued_at}, {"ahead", t.ahead},
          {"state", ticket_state_key(t.state)}, {"window_no", t.window_no},
          {"clerk_id", t.clerk_id},   {"called_at", t.called_at}};
}

Result<Ticket> ticket_from_json(const json& j) {
  if (!j.is_object()) return make_error("bad_ticket", "a ticket must be a JSON object");
  Ticket t;
  BIANMIN_ASSIGN(t.line, text(j, "line", 1, true));
  if (t.line[0] < 'A' || t.line[0] > 'Z') return bad("line");
  BIANMIN_ASSIGN(std::string number, text(j, "number", 5, true));
  if (number.size() < 4 || number[0] != t.line[0]) return bad("number");
  for (size_t i = 1; i < number.size(); ++i) {
    if (number[i] < '0' || number[i] > '9') return bad("number");
    t.seq = t.seq * 10 + (number[i] - '0');
  }
  t.number = ticket_number(t.line, t.seq);
  if (t.number != number || t.seq == 0) return bad("number");
  BIANMIN_ASSIGN(t.line_name, text(j, "line_name", 128, true));
  BIANMIN_ASSIGN(t.day, text(j, "day", 10, true));
  if (!is_day(t.day)) return bad("day");
  BIANMIN_ASSIGN(t.issued_at, text(j, "issued_at", 40, true));
  auto ahead = j.find("ahead");
  if (ahead == j.end() || !ahead->is_number_integer() || *ahead < 0 || *ahead > 100000) return bad("ahead");
  t.ahead = ahead->get<int>();
  BIANMIN_ASSIGN(std::string state, text(j, "state", 16, true));
  auto parsed = parse_ticket_state(state);
  if (!parsed) return bad("state");
  t.state = *parsed;
  BIANMIN_ASSIGN(t.window_no, text(j, "window_no", 16, false));
  BIANMIN_ASSIGN(t.clerk_id, text(j, "clerk_id", 64, false));
  BIANMIN_ASSIGN(t.called_at, text(j, "called_at", 40, false));
  return t;
}

}  // namespace bianmin::domain
