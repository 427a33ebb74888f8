#include "queue/ticket_queue.h"

#include "audit/audit_log.h"
#include "store/store.h"

namespace bianmin::queue {
namespace {

constexpr const char* kColumns =
    "day, line, seq, line_name, issued_at, ahead, state, window_no, clerk_id, called_at";

domain::Ticket ticket_from(const store::Statement& st) {
  domain::Ticket t;
  t.day = st.text(0);
  t.line = st.text(1);
  t.seq = static_cast<int>(st.integer(2));
  t.number = domain::ticket_number(t.line, t.seq);
  t.line_name = st.text(3);
  t.issued_at = st.text(4);
  t.ahead = static_cast<int>(st.integer(5));
  // The table's CHECK allows only known states.
  if (auto state = domain::parse_ticket_state(st.text(6))) t.state = *state;
  t.window_no = st.text(7);
  t.clerk_id = st.text(8);
  t.called_at = st.text(9);
  return t;
}

// "A023" → ("A", 23); nullopt for anything else.
std::optional<std::pair<std::string, int>> split_number(const std::string& number) {
  if (number.size() < 2 || number[0] < 'A' || number[0] > 'Z') return std::nullopt;
  int seq = 0;
  for (size_t i = 1; i < number.size(); ++i) {
    if (number[i] < '0' || number[i] > '9' || seq > 100000) return std::nullopt;
    seq = seq * 10 + (number[i] - '0');
  }
  return std::make_pair(number.substr(0, 1), seq);
}

std::string lines_clause(const std::vector<std::string>& lines) {
  if (lines.empty()) return "";
  std::string in = " AND line IN (";
  for (size_t i = 0; i < lines.size(); ++i) in += i ? ", ?" : "?";
  return in + ")";
}

}  // namespace

std::string local_day(time::TimePoint t) {
  const std::string d = time::local_date_compact(t);
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

Status TicketQueue::audit(const char* type, const std::string& detail) {
  audit::AuditLog log(store_.db(), store_.sealer());
  BIANMIN_TRY(log.append(type, {{"detail", detail}}));
  return {};
}

Result<domain::Ticket> TicketQueue::issue(const domain::QueueLine& line, time::TimePoint now) {
  domain::Ticket t;
  t.day = local_day(now);
  t.line = line.letter;
  t.line_name = line.name;
  t.issued_at = time::format_rfc3339(now);
  BIANMIN_TRY(store_.db().transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement next, store_.db().prepare(
                                              "SELECT COALESCE(MAX(seq), 0) + 1, "
                                              "(SELECT COUNT(*) FROM tickets WHERE day = ?1 AND line = ?2 "
                                              "AND state = 'waiting') FROM tickets WHERE day = ?1 AND line = ?2"));
    next.bind(1, t.day).bind(2, t.line);
    BIANMIN_ASSIGN(bool row, next.step());
    if (!row) return make_error("store_io", "ticket number");
    t.seq = static_cast<int>(next.integer(0));
    t.ahead = static_cast<int>(next.integer(1));
    t.number = domain::ticket_number(t.line, t.seq);
    next.reset();
    BIANMIN_ASSIGN(store::Statement ins,
                   store_.db().prepare(std::string("INSERT INTO tickets(") + kColumns +
                                       ") VALUES (?, ?, ?, ?, ?, ?, 'waiting', '', '', '')"));
    BIANMIN_TRY(ins.bind(1, t.day).bind(2, t.line).bind(3, t.seq).bind(4, t.line_name).bind(5, t.issued_at)
                    .bind(6, t.ahead).run());
    return audit("ticket_issued", t.number + " " + t.line_name);
  }));
  return t;
}

Result<std::vector<domain::Ticket>> TicketQueue::select(const std::string& where_order, const std::string& day,
                                                        const std::vector<std::string>& lines) {
  std::vector<domain::Ticket> out;
  BIANMIN_ASSIGN(store::Statement st,
                 store_.db().prepare(std::string("SELECT ") + kColumns + " FROM tickets WHERE day = ?" +
                                     lines_clause(lines) + where_order));
  st.bind(1, day);
  for (size_t i = 0; i < lines.size(); ++i) st.bind(static_cast<int>(i) + 2, lines[i]);
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(ticket_from(st));
  }
  return out;
}

Result<std::optional<domain::Ticket>> TicketQueue::call_next(const std::vector<std::string>& lines,
                                                             const std::string& window_no,
                                                             const std::string& clerk_id, time::TimePoint now) {
  std::optional<domain::Ticket> called;
  // One transaction: two windows calling at once never get the same number.
  BIANMIN_TRY(store_.db().transaction([&]() -> Status {
    BIANMIN_ASSIGN(auto next, select(" AND state = 'waiting' ORDER BY issued_at, rowid LIMIT 1", local_day(now), lines));
    if (next.empty()) return {};
    domain::Ticket t = next.front();
    t.state = domain::TicketState::called;
    t.window_no = window_no;
    t.clerk_id = clerk_id;
    t.called_at = time::format_rfc3339(now);
    BIANMIN_ASSIGN(store::Statement up, store_.db().prepare(
                                            "UPDATE tickets SET state = 'called', window_no = ?, clerk_id = ?, "
                                            "called_at = ? WHERE day = ? AND line = ? AND seq = ?"));
    BIANMIN_TRY(up.bind(1, window_no).bind(2, clerk_id).bind(3, t.called_at).bind(4, t.day).bind(5, t.line)
                    .bind(6, t.seq).run());
    BIANMIN_TRY(audit("ticket_called", t.number + " window " + window_no + " " + clerk_id));
    called = std::move(t);
    return {};
  }));
  return called;
}

Status TicketQueue::set_state(const std::string& day, const std::string& number, domain::TicketState state,
                              const std::string& clerk_id) {
  const auto parts = split_number(number);
  if (!parts) return make_error("input_invalid", "not a ticket number: " + number);
  if (state == domain::TicketState::called) return make_error("input_invalid", "a ticket is called by call_next");
  return store_.db().transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement up,
                   store_.db().prepare("UPDATE tickets SET state = ? WHERE day = ? AND line = ? AND seq = ?"));
    BIANMIN_TRY(up.bind(1, domain::ticket_state_key(state)).bind(2, day).bind(3, parts->first).bind(4, parts->second).run());
    BIANMIN_ASSIGN(store::Statement changed, store_.db().prepare("SELECT changes()"));
    BIANMIN_ASSIGN(bool row, changed.step());
    if (!row || changed.integer(0) == 0) return make_error("not_found", "no ticket " + number + " on " + day);
    const char* type = state == domain::TicketState::waiting ? "ticket_requeued"
                       : state == domain::TicketState::served ? "ticket_served"
                                                              : "ticket_no_show";
    return audit(type, number + " " + clerk_id);
  });
}

Result<std::vector<domain::Ticket>> TicketQueue::today(time::TimePoint now, const std::vector<std::string>& lines) {
  return select(" ORDER BY issued_at, rowid", local_day(now), lines);
}

Result<std::vector<domain::Ticket>> TicketQueue::waiting(time::TimePoint now, const std::vector<std::string>& lines) {
  return select(" AND state = 'waiting' ORDER BY issued_at, rowid", local_day(now), lines);
}

Result<std::optional<domain::Ticket>> TicketQueue::last_called(time::TimePoint now) {
  BIANMIN_ASSIGN(auto called, select(" AND called_at != '' ORDER BY called_at DESC LIMIT 1", local_day(now), {}));
  if (called.empty()) return std::optional<domain::Ticket>{};
  return std::optional<domain::Ticket>(called.front());
}

}  // namespace bianmin::queue
