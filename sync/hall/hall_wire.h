// What the terminals of one hall say to each other about the queue (the
// hall protocol, README "Queue tickets across the hall"): JSON over HTTPS
// with mutual TLS, both ends presenting their enrolment certificates.
//
//   POST /hall/v1/tickets        {"line","line_name"}              → 201 Ticket
//   POST /hall/v1/calls          {"lines":[…],"window_no","clerk_id"} → 200 {"ticket":Ticket|null}
//   POST /hall/v1/tickets/state  {"day","number","state","clerk_id"} → 204 | 404
//   GET  /hall/v1/tickets?which=today|waiting[&lines=A,B]          → 200 {"tickets":[Ticket,…]}
//   GET  /hall/v1/called                                           → 200 {"ticket":Ticket|null}
// Errors: {"error":{"code","message"}} (400 bad_request, 403 forbidden,
// 404 not_found, 500 internal). Ticket: domain/ticket_json.h.
//
// Both ends parse what the other sent with these functions: bytes in, a
// value or Error{"bad_request"} out (fuzz target tests/fuzz/hall_wire.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/ticket.h"

namespace bianmin::sync::hall {

struct IssueRequest {
  std::string line, line_name;
};
struct CallRequest {
  std::vector<std::string> lines;  // letters; empty: every line
  std::string window_no, clerk_id;
};
struct StateRequest {
  std::string day, number, clerk_id;
  domain::TicketState state = domain::TicketState::waiting;
};

std::string encode(const IssueRequest& r);
std::string encode(const CallRequest& r);
std::string encode(const StateRequest& r);
std::string encode_ticket(const domain::Ticket& t);
std::string encode_answer(const std::optional<domain::Ticket>& t);  // {"ticket": …}
std::string encode_list(const std::vector<domain::Ticket>& ts);     // {"tickets": […]}

Result<IssueRequest> parse_issue_request(std::string_view body);
Result<CallRequest> parse_call_request(std::string_view body);
Result<StateRequest> parse_state_request(std::string_view body);
Result<domain::Ticket> parse_ticket(std::string_view body);
Result<std::optional<domain::Ticket>> parse_answer(std::string_view body);
Result<std::vector<domain::Ticket>> parse_list(std::string_view body);
// "A,B" (a query parameter) → {"A","B"}; every entry one capital letter.
Result<std::vector<std::string>> parse_letters(std::string_view csv);

}  // namespace bianmin::sync::hall
