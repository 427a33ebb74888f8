#include "hall/hall_wire.h"

#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "domain/ticket_json.h"

namespace bianmin::sync::hall {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxBody = 1 << 20;   // a day's tickets of a big hall fit many times over
constexpr size_t kMaxTickets = 10000;  // per answer

Error bad(const std::string& why) { return make_error("bad_request", why); }

Result<json> object_of(std::string_view body) {
  if (body.size() > kMaxBody) return bad("body too large");
  auto j = parse_json(body);  // nesting bounded before anything is built
  if (!j) return bad(j.error().message);
  if (!j->is_object()) return bad("body is not a JSON object");
  return std::move(j).value();
}

Result<std::string> text(const json& j, const char* field, size_t max, bool required) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return bad(std::string("missing ") + field);
    return std::string();
  }
  if (!it->is_string()) return bad(std::string(field) + " must be a string");
  std::string s = it->get<std::string>();
  if (s.size() > max) return bad(std::string(field) + " is too long");
  if (required && s.empty()) return bad(std::string(field) + " is empty");
  return s;
}

bool is_letter(const std::string& s) { return s.size() == 1 && s[0] >= 'A' && s[0] <= 'Z'; }

Result<domain::Ticket> ticket_of(const json& j) {
  auto t = domain::ticket_from_json(j);
  if (!t) return bad(t.error().message);
  return t;
}

}  // namespace

std::string encode(const IssueRequest& r) { return json{{"line", r.line}, {"line_name", r.line_name}}.dump(); }

std::string encode(const CallRequest& r) {
  return json{{"lines", r.lines}, {"window_no", r.window_no}, {"clerk_id", r.clerk_id}}.dump();
}

std::string encode(const StateRequest& r) {
  return json{{"day", r.day}, {"number", r.number}, {"state", domain::ticket_state_key(r.state)}, {"clerk_id", r.clerk_id}}
      .dump();
}

std::string encode_ticket(const domain::Ticket& t) { return domain::ticket_to_json(t).dump(); }

std::string encode_answer(const std::optional<domain::Ticket>& t) {
  return json{{"ticket", t ? domain::ticket_to_json(*t) : json(nullptr)}}.dump();
}

std::string encode_list(const std::vector<domain::Ticket>& ts) {
  json list = json::array();
  for (const auto& t : ts) list.push_back(domain::ticket_to_json(t));
  return json{{"tickets", std::move(list)}}.dump();
}

Result<IssueRequest> parse_issue_request(std::string_view body) {
  BIANMIN_ASSIGN(json j, object_of(body));
  IssueRequest r;
  BIANMIN_ASSIGN(r.line, text(j, "line", 1, true));
  if (!is_letter(r.line)) return bad("line must be one capital letter");
  BIANMIN_ASSIGN(r.line_name, text(j, "line_name", 128, true));
  return r;
}

Result<CallRequest> parse_call_request(std::string_view body) {
  BIANMIN_ASSIGN(json j, object_of(body));
  CallRequest r;
  auto lines = j.find("lines");
  if (lines != j.end() && !lines->is_null()) {
    if (!lines->is_array() || lines->size() > 26) return bad("lines must be an array of at most 26 letters");
    for (const auto& l : *lines) {
      if (!l.is_string() || !is_letter(l.get<std::string>())) return bad("lines must hold capital letters");
      r.lines.push_back(l.get<std::string>());
    }
  }
  BIANMIN_ASSIGN(r.window_no, text(j, "window_no", 16, true));
  BIANMIN_ASSIGN(r.clerk_id, text(j, "clerk_id", 64, true));
  return r;
}

Result<StateRequest> parse_state_request(std::string_view body) {
  BIANMIN_ASSIGN(json j, object_of(body));
  StateRequest r;
  BIANMIN_ASSIGN(r.day, text(j, "day", 10, true));
  BIANMIN_ASSIGN(r.number, text(j, "number", 5, true));
  BIANMIN_ASSIGN(r.clerk_id, text(j, "clerk_id", 64, true));
  BIANMIN_ASSIGN(std::string state, text(j, "state", 16, true));
  auto parsed = domain::parse_ticket_state(state);
  // A window ends a call (served, no-show) or puts the number back; "called"
  // is what a call does, never set by hand.
  if (!parsed || *parsed == domain::TicketState::called) return bad("state must be served, no_show or waiting");
  r.state = *parsed;
  return r;
}

Result<domain::Ticket> parse_ticket(std::string_view body) {
  BIANMIN_ASSIGN(json j, object_of(body));
  return ticket_of(j);
}

Result<std::optional<domain::Ticket>> parse_answer(std::string_view body) {
  BIANMIN_ASSIGN(json j, object_of(body));
  auto it = j.find("ticket");
  if (it == j.end()) return bad("missing ticket");
  if (it->is_null()) return std::optional<domain::Ticket>();
  BIANMIN_ASSIGN(domain::Ticket t, ticket_of(*it));
  return std::optional<domain::Ticket>(std::move(t));
}

Result<std::vector<domain::Ticket>> parse_list(std::string_view body) {
  BIANMIN_ASSIGN(json j, object_of(body));
  auto it = j.find("tickets");
  if (it == j.end() || !it->is_array()) return bad("tickets must be an array");
  if (it->size() > kMaxTickets) return bad("too many tickets");
  std::vector<domain::Ticket> out;
  for (const auto& e : *it) {
    BIANMIN_ASSIGN(domain::Ticket t, ticket_of(e));
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<std::string>> parse_letters(std::string_view csv) {
  std::vector<std::string> out;
  if (csv.empty()) return out;
  if (csv.size() > 64) return bad("lines is too long");
  for (;;) {
    const size_t comma = csv.find(',');
    std::string letter(csv.substr(0, comma));
    if (!is_letter(letter)) return bad("lines must be capital letters separated by commas");
    out.push_back(std::move(letter));
    if (comma == std::string_view::npos) return out;
    csv.remove_prefix(comma + 1);
  }
}

}  // namespace bianmin::sync::hall
