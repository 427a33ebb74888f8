// The central's HTTPS server: cpp-httplib's routing and request parsing,
// with the connection handling replaced so that idle or trickling sockets
// cannot hold every worker (issue 16, item 6). cpp-httplib 0.11 gives each
// connection a worker for its whole life and only a per-read timeout, so
// 64 idle sockets made the central unavailable for 24 s. Here:
//  - one peer address holds at most `max_per_peer` connections; more are
//    closed on arrival, before any TLS work;
//  - the TLS handshake and the first request's headers must arrive within
//    `header_timeout` of the connection, later requests' headers within
//    `header_timeout` of their first byte, and a connection waits at most
//    `keep_alive_idle` between requests;
//  - a request from a peer without a verified client certificate (enrolment,
//    health) must arrive whole within that deadline; a terminal's body then
//    has a per-read timeout, so slow links still upload blobs;
//  - while every worker holds a connection, those deadlines and the
//    keep-alive wait shrink to `under_pressure`, so peers that hold a worker
//    without using it (idle sockets from many addresses) make room within
//    seconds;
//  - a response marked "Connection: close" ends the connection (a refused
//    body is never read, so nothing after it can be parsed as a request).
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace bianmin::sync::central {

struct ConnectionLimits {
  int threads = 128;      // workers; each open connection holds one
  int max_per_peer = 32;  // 0: no limit
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds keep_alive_idle{5000};
  std::chrono::milliseconds under_pressure{2000};
  std::chrono::milliseconds read_timeout{30000}, write_timeout{30000};
  int max_requests_per_connection = 10000;
};

class GuardedServer final : public httplib::SSLServer {
 public:
  GuardedServer(const std::function<bool(SSL_CTX&)>& setup_ssl_ctx, ConnectionLimits limits);

  // cpp-httplib listens with a backlog of 5: a burst of connections (a fleet
  // coming back online, or a flood) then has the kernel drop SYNs, and every
  // peer caught in it, terminals included, waits out a 1 s retransmission.
  // Call after binding.
  bool widen_backlog(int backlog);

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Counts a connection of `peer`; false when it has too many already.
  bool admit(const std::string& peer);
  void release(const std::string& peer);

  int workers() const { return std::max(4, limits_.threads); }

  const ConnectionLimits limits_;
  std::mutex peers_mu_;
  std::map<std::string, int> peers_;  // open connections per address
  std::atomic<int> busy_{0};  // workers holding a connection
};

}  // namespace bianmin::sync::central
