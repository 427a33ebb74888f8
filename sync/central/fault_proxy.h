// A TCP proxy for tests that misbehaves on purpose, loopback only: it adds
// latency, limits bandwidth (one shared link per direction, like a real
// uplink), truncates responses and cuts connections at chosen byte counts
// or at random ones. TLS passes through untouched, so the terminal and the
// central see exactly what a bad network would do to them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"

namespace bianmin::sync::central {

struct FaultPlan {
  int latency_ms = 0;              // added before each forwarded chunk, per direction
  int64_t rate_bytes_per_s = 0;    // 0: unlimited; shared by all connections, per direction
  int64_t cut_after_bytes = 0;     // >0: cut every connection after this many bytes (both directions)
  int64_t cut_random_max = 0;      // >0: cut at a random byte count in [1, max] …
  double cut_probability = 1.0;    // … for this share of connections
  int64_t truncate_down_at = 0;    // >0: a response stops after this many bytes and the connection closes
  bool down = false;               // the network is gone: new connections closed at once, open ones cut
};

struct ProxyStats {
  int64_t connections = 0, cuts = 0, bytes_up = 0, bytes_down = 0;
  // When the first and the last byte (either direction) left the proxy: the
  // time the link was in use, whatever the endpoints did before and after.
  std::chrono::steady_clock::time_point first_byte_at{}, last_byte_at{};
};

class FaultProxy {
 public:
  FaultProxy(std::string target_host, int target_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // Listens on host:port (0: any free port; loopback addresses only) and
  // returns the port.
  Result<int> start(const std::string& host, int port);
  void stop();
  // Applies to connections accepted from now on; `down` also cuts open ones.
  void set_plan(const FaultPlan& plan);
  FaultPlan plan() const;
  ProxyStats stats() const;

  struct Link;  // one connection (internal)

 private:
  void accept_loop();
  void relay(std::shared_ptr<Link> link, bool up);
  void take_tokens(bool up, int64_t n);
  void note_forwarded(bool up, int64_t n);

  std::string target_host_;
  int target_port_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  FaultPlan plan_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::vector<std::weak_ptr<Link>> links_;
  std::atomic<int> live_relays_{0};
  std::atomic<int64_t> connections_{0}, cuts_{0}, bytes_up_{0}, bytes_down_{0};
  // Token buckets (bytes may go negative: a debt paid by sleeping).
  mutable std::mutex bucket_mu_;
  std::chrono::steady_clock::time_point first_byte_at_{}, last_byte_at_{};
  double tokens_[2] = {0, 0};
  std::chrono::steady_clock::time_point refilled_[2]{};
};

bool is_loopback_host(const std::string& host);

}  // namespace bianmin::sync::central
