// The hall's queue kept by another terminal (`queue.host`), reached over the
// hall's LAN with this terminal's enrolment certificate (hall_server.h has
// the other side and the trust rules). Calls block for at most a few
// seconds; callers are workers, never the render thread. When the keeper
// does not answer, every call fails with "unreachable" and nothing is
// issued twice: a ticket the keeper issued but whose answer was lost is in
// its list, and the resident's screen said the number was not taken.
#pragma once

#include <memory>
#include <string>

#include "client/http_client.h"
#include "queue/hall_queue.h"

namespace bianmin::sync::hall {

class RemoteHallQueue final : public queue::HallQueue {
 public:
  // `host_url` https://HOST:PORT; `host_terminal` the id its certificate
  // names; `trust` this terminal's enrolment (pinned CA, certificate, key).
  RemoteHallQueue(const std::string& host_url, const std::string& host_terminal, TlsTrust trust);

  Result<domain::Ticket> issue(const domain::QueueLine& line) override;
  Result<std::optional<domain::Ticket>> call_next(const std::vector<std::string>& lines, const std::string& window_no,
                                                  const std::string& clerk_id) override;
  Status set_state(const std::string& day, const std::string& number, domain::TicketState state,
                   const std::string& clerk_id) override;
  Result<std::vector<domain::Ticket>> today(const std::vector<std::string>& lines) override;
  Result<std::vector<domain::Ticket>> waiting(const std::vector<std::string>& lines) override;
  Result<std::optional<domain::Ticket>> last_called() override;

 private:
  // The answer's body when its status is `expected`; the keeper's error
  // (or "unreachable", "tls_untrusted") otherwise.
  Result<std::string> call(const std::string& method, const std::string& path, const std::string& body, long expected);
  Result<std::vector<domain::Ticket>> list(const std::string& which, const std::vector<std::string>& lines);

  std::string host_url_;
  HttpClient http_;
};

}  // namespace bianmin::sync::hall
