#include "raw_tls.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace bianmin::testing::tls {
namespace {

sockaddr_in loopback(const std::string& ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return a;
}

bool wait_fd(int fd, short events, std::chrono::milliseconds wait) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
}

bool use_pem(SSL_CTX* ctx, const std::string& cert_pem, const std::string& key_pem) {
  BIO* cb = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
  BIO_free(cb);
  BIO* kb = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
  BIO_free(kb);
  const bool ok = cert && key && SSL_CTX_use_certificate(ctx, cert) == 1 && SSL_CTX_use_PrivateKey(ctx, key) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  return ok;
}

int64_t status_field(const char* name) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name, 0) != 0) continue;
    std::istringstream fields(line.substr(std::string(name).size()));
    int64_t kb = 0;
    fields >> kb;
    return kb * 1024;
  }
  return -1;
}

}  // namespace

int connect_loopback(int port, const std::string& source) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in from = loopback(source, 0);
  sockaddr_in to = loopback("127.0.0.1", port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

Client::~Client() {
  if (ssl_) SSL_free(ssl_);
  if (ctx_) SSL_CTX_free(ctx_);
  if (fd_ >= 0) ::close(fd_);
}

bool Client::open(int port, const ClientOptions& o) {
  fd_ = connect_loopback(port, o.source);
  if (fd_ < 0) {
    error_ = "connect failed";
    return false;
  }
  // The tests only care about the server side: no verification here.
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (o.tls12_only) SSL_CTX_set_max_proto_version(ctx_, TLS1_2_VERSION);
  if (!o.ciphers.empty() && SSL_CTX_set_cipher_list(ctx_, o.ciphers.c_str()) != 1) {
    error_ = "cipher list refused by the client library";
    return false;
  }
  if (!o.cert_pem.empty() && !use_pem(ctx_, o.cert_pem, o.key_pem)) {
    error_ = "client certificate unusable";
    return false;
  }
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  timeval tv{5, 0};  // a handshake the server never answers fails instead of hanging
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (SSL_connect(ssl_) != 1) {
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    error_ = buf;
    ERR_clear_error();
    return false;
  }
  return true;
}

bool Client::write(std::string_view data) {
  while (!data.empty()) {
    const int n = SSL_write(ssl_, data.data(), static_cast<int>(std::min<std::size_t>(data.size(), 1 << 16)));
    if (n <= 0) {
      ERR_clear_error();
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string Client::read_some(std::chrono::milliseconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  const int flags = ::fcntl(fd_, F_GETFL);
  ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  std::string out;
  for (bool done = false; !done && out.empty() && std::chrono::steady_clock::now() < until;) {
    if (SSL_pending(ssl_) == 0 && !wait_fd(fd_, POLLIN, std::chrono::milliseconds(50))) continue;
    char buf[16384];
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n > 0) out.assign(buf, static_cast<std::size_t>(n));
    else done = SSL_get_error(ssl_, n) != SSL_ERROR_WANT_READ;
    ERR_clear_error();
  }
  ::fcntl(fd_, F_SETFL, flags);
  return out;
}

bool Client::closed_by_peer(std::chrono::milliseconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  // Non-blocking here: a session ticket alone must not look like a close.
  const int flags = ::fcntl(fd_, F_GETFL);
  ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() < until) {
    if (!wait_fd(fd_, POLLIN, std::chrono::milliseconds(50))) continue;
    char buf[4096];
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n <= 0) closed = SSL_get_error(ssl_, n) != SSL_ERROR_WANT_READ;
    ERR_clear_error();
  }
  ::fcntl(fd_, F_SETFL, flags);
  return closed;
}

OneShotServer::OneShotServer(std::string cert_pem, std::string key_pem, std::string ciphers) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a = loopback("127.0.0.1", 0);
  socklen_t len = sizeof a;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 4) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return;
  port_ = ntohs(a.sin_port);
  ctx_ = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx_, TLS1_2_VERSION);
  if (SSL_CTX_set_cipher_list(ctx_, ciphers.c_str()) != 1 || !use_pem(ctx_, cert_pem, key_pem)) port_ = 0;
}

OneShotServer::~OneShotServer() {
  if (ctx_) SSL_CTX_free(ctx_);
  if (listener_ >= 0) ::close(listener_);
}

bool OneShotServer::serve_one(std::chrono::milliseconds wait) {
  if (port_ == 0 || !wait_fd(listener_, POLLIN, wait)) return false;
  const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return false;
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  SSL* ssl = SSL_new(ctx_);
  SSL_set_fd(ssl, fd);
  const bool ok = SSL_accept(ssl) == 1;
  if (ok) {
    char buf[4096];
    (void)SSL_read(ssl, buf, sizeof buf);
    static const char kReply[] = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
    (void)SSL_write(ssl, kReply, sizeof kReply - 1);
    SSL_shutdown(ssl);
  }
  ERR_clear_error();
  SSL_free(ssl);
  ::close(fd);
  return ok;
}

int64_t rss_bytes() { return status_field("VmRSS:"); }
int64_t peak_rss_bytes() { return status_field("VmHWM:"); }

}  // namespace bianmin::testing::tls
