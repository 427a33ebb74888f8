// HTTPS to the central through libcurl, with the trust of invariant 4: the
// server is verified against the CA pinned at enrolment and nothing else
// (the system store is never loaded, verification is never switched off),
// or — during enrolment, before anything is pinned — against a CA
// certificate fingerprint that must appear in the presented chain.
//
// One client per lane and thread; it keeps its connection alive between
// calls. Transport failures come back as errors with these codes:
//   unreachable   the central did not answer (DNS, refused, connect timeout)
//   tls_untrusted the server's certificate is not the pinned central's
//   tls_failed    any other TLS failure (for example a refused client cert)
//   interrupted   the connection broke or stalled mid-transfer
//   stopped       the daemon is shutting down
//   response_too_large
//   write_failed  a body sink refused the bytes (HttpRequest::body_sink)
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace bianmin::sync {

struct TlsTrust {
  std::string ca_pem;          // pinned CA bundle; when empty, ca_fingerprint is required
  std::string ca_fingerprint;  // 64 hex: accept a chain containing this certificate (enrolment)
  std::string client_cert_pem, client_key_pem;  // mutual TLS (empty for enrolment)
  // Another terminal of the hall rather than the central (sync/hall/): the
  // server presents its enrolment certificate, which verifies up to the
  // pinned CA as a terminal's (client) certificate and names this terminal
  // id; its host name is not checked (a hall LAN address is in no certificate).
  std::string peer_terminal = {};
};

struct HttpTimeouts {
  long connect_s = 5;
  long stall_s = 30;  // abort when no byte moved for this long
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, POST, PATCH
  std::string path;            // "/api/v1/health"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
  // Send "Expect: 100-continue" and wait for the go-ahead before the body,
  // so that a request the server refuses (409 on a resumed upload) costs
  // no body bytes.
  bool expect_continue = false;
  // A download larger than memory: a 200 or 206 answer's body goes here as
  // it arrives, with the status, instead of into HttpResponse::body (any
  // other answer's body is kept as usual, for its error). Returning false
  // aborts the transfer with the error "write_failed".
  std::function<bool(long status, std::string_view bytes)> body_sink = nullptr;
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; last value wins
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Must be called once per process before any client is used.
void http_global_init();

class HttpClient {
 public:
  HttpClient(std::string base_url, TlsTrust trust, HttpTimeouts timeouts);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<HttpResponse> send(const HttpRequest& req);

  // Aborts transfers in flight and refuses new ones ("stopped").
  void set_stop_flag(const std::atomic<bool>* stop) { stop_ = stop; }
  // Request body bytes handed to the network so far (a cut transfer counts
  // what left before the cut).
  int64_t body_bytes_sent() const { return body_bytes_sent_; }
  // In fingerprint mode, after a successful call: the presented CA
  // certificate whose fingerprint matched (PEM), to be pinned.
  const std::string& matched_ca_pem() const { return matched_ca_pem_; }
  const std::string& base_url() const { return base_url_; }
  const std::string& last_tls_detail() const { return tls_detail_; }

  // OpenSSL hooks (called from C callbacks).
  int on_ssl_ctx(void* ssl_ctx);
  int verify_fingerprint_chain(void* x509_store_ctx);
  int verify_terminal_peer(void* x509_store_ctx);
  bool stop_requested() const { return stop_ && stop_->load(); }
  std::size_t max_response_bytes() const { return kMaxResponseBytes; }

 private:
  static constexpr std::size_t kMaxResponseBytes = 64u << 20;
  std::string base_url_;
  TlsTrust trust_;
  HttpTimeouts timeouts_;
  void* curl_ = nullptr;
  const std::atomic<bool>* stop_ = nullptr;
  int64_t body_bytes_sent_ = 0;
  std::string matched_ca_pem_;
  std::string tls_detail_;
};

}  // namespace bianmin::sync
