#include "queue/hall_queue.h"

#include "queue/ticket_queue.h"

namespace bianmin::queue {

Result<domain::Ticket> LocalHallQueue::issue(const domain::QueueLine& line) {
  return TicketQueue(store_).issue(line, time::Clock::now());
}

Result<std::optional<domain::Ticket>> LocalHallQueue::call_next(const std::vector<std::string>& lines,
                                                                const std::string& window_no,
                                                                const std::string& clerk_id) {
  return TicketQueue(store_).call_next(lines, window_no, clerk_id, time::Clock::now());
}

Status LocalHallQueue::set_state(const std::string& day, const std::string& number, domain::TicketState state,
                                 const std::string& clerk_id) {
  return TicketQueue(store_).set_state(day, number, state, clerk_id);
}

Result<std::vector<domain::Ticket>> LocalHallQueue::today(const std::vector<std::string>& lines) {
  return TicketQueue(store_).today(time::Clock::now(), lines);
}

Result<std::vector<domain::Ticket>> LocalHallQueue::waiting(const std::vector<std::string>& lines) {
  return TicketQueue(store_).waiting(time::Clock::now(), lines);
}

Result<std::optional<domain::Ticket>> LocalHallQueue::last_called() {
  return TicketQueue(store_).last_called(time::Clock::now());
}

}  // namespace bianmin::queue
