// Queue tickets (排队取号): a resident takes a number for a service line at
// the kiosk, a clerk calls it at a window. Numbers restart every day per
// line: line "A", 23rd ticket of the day → "A023".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "catalog/model.h"

namespace bianmin::domain {

enum class TicketState { waiting, called, served, no_show };
const char* ticket_state_key(TicketState s);
Result<TicketState> parse_ticket_state(std::string_view key);

struct Ticket {
  std::string number;      // "A023"
  std::string line;        // "A"
  std::string line_name;   // "综合受理"
  std::string day;         // local date it was issued on, "2026-12-06"
  int seq = 0;             // 23
  std::string issued_at;   // RFC 3339, local offset
  int ahead = 0;           // people waiting before it when it was issued
  TicketState state = TicketState::waiting;
  std::string window_no;   // the window that called it ("3")
  std::string clerk_id;    // who called it
  std::string called_at;
};

std::string ticket_number(std::string_view line, int seq);

// A service line of the hall: its letter, its name on the kiosk and the
// ticket, and which items it serves (by category or by item code; none
// listed: every item).
struct QueueLine {
  std::string letter;  // one capital letter
  std::string name;
  std::vector<catalog::Category> categories;
  std::vector<std::string> item_codes;
  bool serves(const catalog::Item& item) const;
};

// The `queue.lines` setting: lines separated by ';', each
//   LETTER:NAME[:WHAT,WHAT,…]
// where WHAT is a category's name (行政许可) or key (licensing), or an item
// code. Example: "A:综合受理;B:社保医保:行政给付,行政确认".
// "input_invalid" naming the part that is wrong.
Result<std::vector<QueueLine>> parse_queue_lines(std::string_view spec);

}  // namespace bianmin::domain
