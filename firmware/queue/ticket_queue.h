// The hall's queue tickets (排队取号), kept in the store's `tickets` table:
// the kiosk issues them, a counter calls them, `bianmin queue tickets`
// lists them. Local to the hall: no central call is involved, and a
// ticket survives a restart or a power cut (each change is one durable
// transaction, audited in the same transaction).
//
// Numbers restart every local day per service line (A001, A002, …); a
// ticket put back in the line (the counter locked before serving it) keeps
// its place, because the line is ordered by the time of issue.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "domain/ticket.h"

namespace bianmin::store { class Store; }

namespace bianmin::queue {

// "2026-12-06": the local day (terminal.timezone) of `t`.
std::string local_day(time::TimePoint t);

class TicketQueue {
 public:
  explicit TicketQueue(store::Store& store) : store_(store) {}

  // The next number of `line` today; `ahead` counts who waits before it.
  Result<domain::Ticket> issue(const domain::QueueLine& line, time::TimePoint now);
  // The oldest waiting ticket of `lines` today, now called to this window;
  // nullopt when nobody is waiting.
  Result<std::optional<domain::Ticket>> call_next(const std::vector<std::string>& lines, const std::string& window_no,
                                                  const std::string& clerk_id, time::TimePoint now);
  // served / no_show, or waiting (back in the line). "not_found" for an
  // unknown ticket.
  Status set_state(const std::string& day, const std::string& number, domain::TicketState state,
                   const std::string& clerk_id);
  // Today's tickets in the order of issue; only those of `lines` when given.
  Result<std::vector<domain::Ticket>> today(time::TimePoint now, const std::vector<std::string>& lines = {});
  // Today's waiting tickets of `lines`, in the order they will be called.
  Result<std::vector<domain::Ticket>> waiting(time::TimePoint now, const std::vector<std::string>& lines);
  // The number called last today (the hall display's "请 A023 号到 3 号窗口").
  Result<std::optional<domain::Ticket>> last_called(time::TimePoint now);

 private:
  Result<std::vector<domain::Ticket>> select(const std::string& where_order, const std::string& day,
                                             const std::vector<std::string>& lines);
  Status audit(const char* type, const std::string& detail);
  store::Store& store_;
};

}  // namespace bianmin::queue
