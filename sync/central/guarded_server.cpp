#include "central/guarded_server.h"

#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "central/tls_stream.h"

namespace bianmin::sync::central {
namespace {

std::string peer_of(socket_t sock) {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (::getpeername(sock, reinterpret_cast<sockaddr*>(&a), &len) != 0) return {};
  char host[NI_MAXHOST] = "";
  ::getnameinfo(reinterpret_cast<sockaddr*>(&a), len, host, sizeof host, nullptr, 0, NI_NUMERICHOST);
  return host;
}

bool has_verified_certificate(const SSL* ssl) {
  return SSL_get0_peer_certificate(ssl) != nullptr && SSL_get_verify_result(ssl) == X509_V_OK;
}

void close_socket(socket_t sock) {
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
}

// After refusing a request whose body was not read, the central stops
// sending and discards what is still arriving for a moment before closing:
// closing with unread bytes makes the kernel send a reset, and a peer still
// uploading would lose the answer to it. Bounded in time and bytes.
void linger_close(socket_t sock) {
  constexpr auto kLinger = std::chrono::milliseconds(1000);
  constexpr std::size_t kMaxDiscard = 4u << 20;
  ::shutdown(sock, SHUT_WR);
  const auto until = std::chrono::steady_clock::now() + kLinger;
  char buf[16384];
  for (std::size_t discarded = 0; discarded < kMaxDiscard && std::chrono::steady_clock::now() < until;) {
    pollfd p{sock, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) break;
    if (n > 0) discarded += static_cast<std::size_t>(n);
  }
}

// cpp-httplib's pool, counting the workers that hold a connection: when
// all do, connections that only wait cut their waits (TlsStream).
class WatchedPool final : public httplib::TaskQueue {
 public:
  WatchedPool(std::size_t threads, std::atomic<int>& busy) : pool_(threads), busy_(busy) {}
  void enqueue(std::function<void()> fn) override {
    pool_.enqueue([this, job = std::move(fn)] {
      ++busy_;
      job();
      --busy_;
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  std::atomic<int>& busy_;
};

}  // namespace

GuardedServer::GuardedServer(const std::function<bool(SSL_CTX&)>& setup_ssl_ctx, ConnectionLimits limits)
    : httplib::SSLServer(setup_ssl_ctx), limits_(limits) {
  new_task_queue = [this] { return new WatchedPool(static_cast<std::size_t>(workers()), busy_); };
  // What cpp-httplib advertises in Keep-Alive: matches what is enforced here.
  set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits_.keep_alive_idle).count());
  set_keep_alive_max_count(static_cast<size_t>(std::max(1, limits_.max_requests_per_connection)));
  set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.ssl && res.get_header_value("Connection") == "close")
      if (auto* stream = static_cast<TlsStream*>(SSL_get_app_data(req.ssl))) stream->request_close();
  });
}

bool GuardedServer::widen_backlog(int backlog) {
  const socket_t sock = svr_sock_;
  return sock != INVALID_SOCKET && ::listen(sock, backlog) == 0;  // Linux: listen() again resizes the queue
}

bool GuardedServer::admit(const std::string& peer) {
  std::lock_guard<std::mutex> lock(peers_mu_);
  int& n = peers_[peer];
  if (limits_.max_per_peer > 0 && n >= limits_.max_per_peer) {
    return false;
  }
  ++n;
  return true;
}

void GuardedServer::release(const std::string& peer) {
  std::lock_guard<std::mutex> lock(peers_mu_);
  auto it = peers_.find(peer);
  if (it != peers_.end() && --it->second <= 0) peers_.erase(it);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  const std::string peer = peer_of(sock);
  if (!admit(peer)) {
    close_socket(sock);
    return false;
  }
  const auto connected = TlsStream::Clock::now();
  ::fcntl(sock, F_SETFL, ::fcntl(sock, F_GETFL) | O_NONBLOCK);
  SSL* ssl = SSL_new(ssl_context());
  bool ok = false;
  if (ssl && SSL_set_fd(ssl, sock) == 1) {
    TlsStream stream(sock, ssl, {limits_.read_timeout, limits_.write_timeout, limits_.under_pressure}, svr_sock_,
                     TlsStream::Load{busy_, workers()});
    SSL_set_app_data(ssl, &stream);
    stream.arm(connected, limits_.header_timeout);
    ok = stream.handshake();
    for (int served = 0; ok && served < limits_.max_requests_per_connection; ++served) {
      // The first request counts from the connection; later ones from their first byte.
      if (served > 0) {
        if (!stream.wait_for_request(limits_.keep_alive_idle)) break;
        stream.arm(TlsStream::Clock::now(), limits_.header_timeout);
      }
      bool closed = false;
      const bool last = served + 1 == limits_.max_requests_per_connection;
      ok = process_request(stream, last, closed, [&](httplib::Request& req) {
        req.ssl = ssl;
        // Headers are in: a terminal's body may take as long as its link needs.
        if (has_verified_certificate(ssl)) stream.disarm();
      });
      if (closed || stream.close_requested() || stream.expired() || svr_sock_ == INVALID_SOCKET) break;
    }
    if (ok || stream.close_requested()) {
      ERR_clear_error();
      SSL_shutdown(ssl);  // best effort: a close_notify if the socket takes it now
    }
    if (stream.close_requested()) linger_close(sock);
    SSL_set_app_data(ssl, nullptr);
  }
  ERR_clear_error();
  if (ssl) SSL_free(ssl);
  close_socket(sock);
  release(peer);
  return ok;
}

}  // namespace bianmin::sync::central
