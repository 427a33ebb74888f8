// One TLS connection of the central as a cpp-httplib Stream, over a
// non-blocking socket so that every wait has a bound the central chooses:
// an absolute deadline while the handshake and a request's headers arrive
// (a peer trickling one byte at a time never trips a per-read timeout),
// and a per-read timeout once an authenticated peer's body is flowing.
// Deadlines shrink while every worker is busy.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <optional>

namespace bianmin::sync::central {

class TlsStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;
  struct Timeouts {
    std::chrono::milliseconds read{30000}, write{30000};
    // While every worker holds a connection, a deadline (headers, idle
    // keep-alive) is cut to this: idle peers make room for new ones.
    std::chrono::milliseconds under_pressure{2000};
  };
  // Workers holding a connection, of how many.
  struct Load {
    const std::atomic<int>& busy;
    int workers;
    bool full() const { return busy.load() >= workers; }
  };

  // `listener` turns INVALID_SOCKET when the server stops: every wait ends then.
  TlsStream(int fd, SSL* ssl, Timeouts timeouts, const std::atomic<socket_t>& listener, Load load);

  // Reads and writes fail once `budget` from `start` has passed (or the
  // pressure budget, while the workers are all busy); disarm() goes back to
  // the per-read timeout.
  void arm(Clock::time_point start, std::chrono::milliseconds budget) {
    armed_at_ = start;
    armed_for_ = budget;
  }
  void disarm() { armed_at_.reset(); }

  bool handshake();
  // Waits up to `idle` for the next request's first byte; false on timeout,
  // close or stop.
  bool wait_for_request(std::chrono::milliseconds idle);
  // The deadline ran out: the connection ends (no answer is owed to a peer
  // that would not finish its request in time).
  bool expired() const { return expired_; }
  // A response said "Connection: close": the connection ends after it.
  void request_close() { close_requested_ = true; }
  bool close_requested() const { return close_requested_; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

 private:
  // The armed deadline as it stands now (it moves closer under pressure).
  std::optional<Clock::time_point> deadline() const;
  // True once the armed deadline has passed (and remembers it).
  bool check_expired() const;
  // Polls for `events` until `timeout` or the deadline runs out.
  bool wait(short events, std::chrono::milliseconds timeout) const;
  // After an SSL call failed with `rc`: waits as OpenSSL asks; false when
  // the failure is final.
  bool retry_after(int rc, std::chrono::milliseconds timeout) const;

  int fd_;
  SSL* ssl_;
  Timeouts timeouts_;
  const std::atomic<socket_t>& listener_;
  Load load_;
  std::optional<Clock::time_point> armed_at_;
  std::chrono::milliseconds armed_for_{0};
  bool close_requested_ = false;
  mutable bool expired_ = false;
};

}  // namespace bianmin::sync::central
