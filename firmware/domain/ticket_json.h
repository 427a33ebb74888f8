// A queue ticket as JSON: `bianmin queue tickets --json` prints it, and
// terminals of one hall exchange it (sync/hall/hall_wire.h):
//   {"number","line","line_name","day","issued_at","ahead","state",
//    "window_no","clerk_id","called_at"}
#pragma once

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "domain/ticket.h"

namespace bianmin::domain {

nlohmann::json ticket_to_json(const Ticket& t);
// Checks every field as a keeper could have written it: the number is the
// line's letter and 1–4 digits, the day a date, the state a known one;
// text fields are bounded. "bad_ticket" naming the field otherwise.
Result<Ticket> ticket_from_json(const nlohmann::json& j);

}  // namespace bianmin::domain
