// The hall's queue served by the terminal that keeps it (`queue.listen`),
// inside syncd: the hall's other kiosks and counters issue, call and show
// tickets through it (hall_wire.h; their side is hall_client.h).
//
// Trust is the central's, never the LAN's: the server presents this
// terminal's enrolment certificate; a peer must present one issued by the
// CA this terminal pinned at enrolment, whose terminal id is listed in
// `queue.clients`. Anything else is refused at the handshake (no
// certificate, another CA) or with 403 (a terminal not of this hall).
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace httplib { class SSLServer; }

namespace bianmin::sync {
struct Enrolment;
}

namespace bianmin::sync::hall {

struct ServerOptions {
  std::string host = "0.0.0.0";
  int port = 8471;                   // 0: any free port (tests)
  std::vector<std::string> clients;  // terminal ids allowed
  store::StoreOptions store;
};

// "0.0.0.0:8471" → host and port; "input_invalid" otherwise.
Status parse_listen(const std::string& listen, ServerOptions& into);
// "620702-001-K02, 620702-001-K03" → the ids.
std::vector<std::string> parse_clients(const std::string& csv);

class HallServer {
 public:
  // Opens its own store connection, binds and serves on a thread.
  static Result<std::unique_ptr<HallServer>> start(const ServerOptions& options, const Enrolment& self);
  ~HallServer();
  HallServer(const HallServer&) = delete;
  HallServer& operator=(const HallServer&) = delete;

  int port() const { return port_; }

 private:
  struct Impl;
  explicit HallServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace bianmin::sync::hall
