// The hall's queue of tickets as every role sees it, wherever it is kept.
//
// A hall has one queue: the kiosk issues numbers, every counter calls them
// and every screen shows the last one called. One terminal keeps it (in its
// store, queue/ticket_queue.h); the others reach it over the hall's LAN
// (sync/hall/, mutual TLS with the terminals' own certificates). Which one
// a terminal uses is the `queue.host` setting; callers see no difference,
// except that a remote queue can answer "unreachable".
//
// The keeper's clock decides the day and the times, so two terminals whose
// clocks differ still number one line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "domain/ticket.h"

namespace bianmin::store { class Store; }

namespace bianmin::queue {

class HallQueue {
 public:
  virtual ~HallQueue() = default;

  // The next number of `line` today.
  virtual Result<domain::Ticket> issue(const domain::QueueLine& line) = 0;
  // The oldest waiting ticket of `lines`, now called to `window_no`;
  // nullopt when nobody waits.
  virtual Result<std::optional<domain::Ticket>> call_next(const std::vector<std::string>& lines,
                                                          const std::string& window_no,
                                                          const std::string& clerk_id) = 0;
  // served, no_show or waiting (back in the line); "not_found".
  virtual Status set_state(const std::string& day, const std::string& number, domain::TicketState state,
                           const std::string& clerk_id) = 0;
  // Today's tickets in the order of issue (of `lines` when given).
  virtual Result<std::vector<domain::Ticket>> today(const std::vector<std::string>& lines) = 0;
  // Today's waiting tickets of `lines`, in the order they will be called.
  virtual Result<std::vector<domain::Ticket>> waiting(const std::vector<std::string>& lines) = 0;
  // The number called last today (the hall display).
  virtual Result<std::optional<domain::Ticket>> last_called() = 0;
};

// The queue this terminal keeps in its own store.
class LocalHallQueue final : public HallQueue {
 public:
  explicit LocalHallQueue(store::Store& store) : store_(store) {}
  Result<domain::Ticket> issue(const domain::QueueLine& line) override;
  Result<std::optional<domain::Ticket>> call_next(const std::vector<std::string>& lines, const std::string& window_no,
                                                  const std::string& clerk_id) override;
  Status set_state(const std::string& day, const std::string& number, domain::TicketState state,
                   const std::string& clerk_id) override;
  Result<std::vector<domain::Ticket>> today(const std::vector<std::string>& lines) override;
  Result<std::vector<domain::Ticket>> waiting(const std::vector<std::string>& lines) override;
  Result<std::optional<domain::Ticket>> last_called() override;

 private:
  store::Store& store_;
};

}  // namespace bianmin::queue
