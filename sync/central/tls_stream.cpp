#include "central/tls_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <climits>

namespace bianmin::sync::central {
namespace {

using std::chrono::milliseconds;

// Waits are cut into slices so that a stopping server is noticed promptly.
constexpr milliseconds kSlice{100};

void address_of(const sockaddr_storage& a, std::string& ip, int& port) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (a.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(a);
    ::inet_ntop(AF_INET, &v4.sin_addr, buf, sizeof buf);
    port = ntohs(v4.sin_port);
  } else if (a.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(a);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, buf, sizeof buf);
    port = ntohs(v6.sin6_port);
  }
  ip = buf;
}

int clamp_int(size_t n) { return static_cast<int>(std::min<size_t>(n, INT_MAX)); }

}  // namespace

TlsStream::TlsStream(int fd, SSL* ssl, Timeouts timeouts, const std::atomic<socket_t>& listener, Load load)
    : fd_(fd), ssl_(ssl), timeouts_(timeouts), listener_(listener), load_(load) {}

std::optional<TlsStream::Clock::time_point> TlsStream::deadline() const {
  if (!armed_at_) return std::nullopt;
  const auto budget = load_.full() ? std::min(armed_for_, timeouts_.under_pressure) : armed_for_;
  return *armed_at_ + budget;
}

bool TlsStream::check_expired() const {
  if (auto d = deadline(); d && Clock::now() >= *d) expired_ = true;
  return expired_;
}

bool TlsStream::wait(short events, milliseconds timeout) const {
  const auto until = Clock::now() + timeout;
  for (;;) {
    if (listener_ == INVALID_SOCKET || check_expired()) return false;
    // Re-read every slice: the deadline moves closer when the workers fill up.
    const auto d = deadline();
    const auto end = d ? std::min(until, *d) : until;
    // Rounded up: a deadline less than 1 ms away is not yet passed.
    const auto left = std::chrono::ceil<milliseconds>(end - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min(left, kSlice).count()));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

bool TlsStream::retry_after(int rc, milliseconds timeout) const {
  switch (SSL_get_error(ssl_, rc)) {
    case SSL_ERROR_WANT_READ:
      return wait(POLLIN, timeout);
    case SSL_ERROR_WANT_WRITE:
      return wait(POLLOUT, timeout);
    default:
      ERR_clear_error();
      return false;
  }
}

bool TlsStream::handshake() {
  for (;;) {
    ERR_clear_error();  // SSL_get_error reads this thread's queue: start it empty
    const int rc = SSL_accept(ssl_);
    if (rc == 1) return true;
    if (!retry_after(rc, timeouts_.read)) return false;
  }
}

bool TlsStream::wait_for_request(milliseconds idle) {
  if (SSL_pending(ssl_) > 0) return true;
  arm(Clock::now(), idle);  // an idle connection also yields under pressure
  return wait(POLLIN, idle);
}

bool TlsStream::is_readable() const { return SSL_pending(ssl_) > 0 || wait(POLLIN, timeouts_.read); }

bool TlsStream::is_writable() const { return wait(POLLOUT, timeouts_.write); }

ssize_t TlsStream::read(char* ptr, size_t size) {
  for (;;) {
    if (check_expired()) return -1;
    ERR_clear_error();
    const int n = SSL_read(ssl_, ptr, clamp_int(size));
    if (n > 0) return n;
    if (SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN) return 0;
    if (!retry_after(n, timeouts_.read)) return -1;
  }
}

ssize_t TlsStream::write(const char* ptr, size_t size) {
  for (;;) {
    if (expired_) return -1;
    ERR_clear_error();
    const int n = SSL_write(ssl_, ptr, clamp_int(size));
    if (n > 0) return n;
    if (!retry_after(n, timeouts_.write)) return -1;
  }
}

void TlsStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0) address_of(a, ip, port);
}

void TlsStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0) address_of(a, ip, port);
}

}  // namespace bianmin::sync::central
