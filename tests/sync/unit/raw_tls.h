// Hand-driven TLS peers for the central's hardening tests: what curl will
// not do on purpose (offer only CBC-SHA1 suites, hold a socket idle, trickle
// a request one byte at a time, stream a huge body without buffering it).
// Loopback only; every wait is bounded.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace bianmin::testing::tls {

// A TCP connection to 127.0.0.1:port from `source` (any 127.x.y.z: Linux
// routes all of 127/8 to loopback, so tests can play several peers).
// Returns -1 on failure.
int connect_loopback(int port, const std::string& source = "127.0.0.1");

struct ClientOptions {
  std::string source = "127.0.0.1";
  std::string ciphers;  // TLS 1.2 cipher list; empty: OpenSSL's default
  bool tls12_only = false;
  std::string cert_pem, key_pem;  // client certificate, if any
};

class Client {
 public:
  Client() = default;
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Connects and completes the handshake; false (with error()) if either fails.
  bool open(int port, const ClientOptions& options);
  // Writes all of `data`; false once the peer has closed or reset.
  bool write(std::string_view data);
  // Reads what arrives within `wait`; empty on timeout or close.
  std::string read_some(std::chrono::milliseconds wait);
  // True when the peer has closed the connection (EOF, reset or alert),
  // waiting at most `wait` for it.
  bool closed_by_peer(std::chrono::milliseconds wait);
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string error_;
};

// A TLS 1.2 server on 127.0.0.1 that accepts one connection with only the
// given cipher list and answers its first request "204 No Content".
class OneShotServer {
 public:
  OneShotServer(std::string cert_pem, std::string key_pem, std::string ciphers);
  ~OneShotServer();
  OneShotServer(const OneShotServer&) = delete;
  OneShotServer& operator=(const OneShotServer&) = delete;
  int port() const { return port_; }
  // Serves one connection (waits at most `wait` for it); true if the
  // handshake succeeded.
  bool serve_one(std::chrono::milliseconds wait);

 private:
  int listener_ = -1, port_ = 0;
  SSL_CTX* ctx_ = nullptr;
};

// Resident set size and its peak (VmRSS, VmHWM) of this process, in bytes.
int64_t rss_bytes();
int64_t peak_rss_bytes();

}  // namespace bianmin::testing::tls
