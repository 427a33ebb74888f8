#include "client/http_client.h"

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <mutex>

#include "common/pki.h"
#include "common/tls_policy.h"

namespace bianmin::sync {
namespace {

struct Capture {
  HttpClient* self;
  HttpResponse* resp;
  CURL* curl;
  const std::function<bool(long, std::string_view)>* sink;
  bool too_large = false, sink_refused = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* c = static_cast<Capture*>(user);
  const std::size_t len = size * n;
  if (*c->sink) {
    long status = 0;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status == 200 || status == 206) {
      if ((*c->sink)(status, std::string_view(data, len))) return len;
      c->sink_refused = true;
      return 0;
    }
  }
  if (c->resp->body.size() + len > c->self->max_response_bytes()) {
    c->too_large = true;
    return 0;
  }
  c->resp->body.append(data, len);
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* c = static_cast<Capture*>(user);
  const std::size_t len = size * n;
  std::string_view line(data, len);
  if (line.substr(0, 5) == "HTTP/") {
    c->resp->headers.clear();  // a new response (after 100 Continue): forget the interim one
    return len;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return len;
  std::string name(line.substr(0, colon));
  for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  if (c->resp->headers.size() < 200) c->resp->headers[name] = std::string(value);
  return len;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<HttpClient*>(user)->stop_requested() ? 1 : 0;
}

CURLcode on_ssl_ctx_cb(CURL*, void* ssl_ctx, void* user) {
  return static_cast<HttpClient*>(user)->on_ssl_ctx(ssl_ctx) ? CURLE_OK : CURLE_SSL_CERTPROBLEM;
}

int verify_cb(X509_STORE_CTX* ctx, void* user) {
  return static_cast<HttpClient*>(user)->verify_fingerprint_chain(ctx);
}

int verify_peer_cb(X509_STORE_CTX* ctx, void* user) {
  return static_cast<HttpClient*>(user)->verify_terminal_peer(ctx);
}

Error transport_error(CURLcode rc, const char* detail, bool connected, bool stopped) {
  const std::string text = std::string(curl_easy_strerror(rc)) + (detail && *detail ? std::string(": ") + detail : "");
  if (stopped) return make_error("stopped", "shutting down");
  switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return make_error("tls_untrusted", "the server is not the central this terminal trusts (" + text + ")");
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      return make_error("unreachable", text);
    case CURLE_OPERATION_TIMEDOUT:
      return make_error(connected ? "interrupted" : "unreachable", text);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_INITFAILED:
      return make_error("tls_failed", text);
    default:
      return make_error("interrupted", text);
  }
}

}  // namespace

void http_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpClient::HttpClient(std::string base_url, TlsTrust trust, HttpTimeouts timeouts)
    : base_url_(std::move(base_url)), trust_(std::move(trust)), timeouts_(timeouts) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  http_global_init();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

int HttpClient::on_ssl_ctx(void* raw) {
  auto* ctx = static_cast<SSL_CTX*>(raw);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (!trust_.ca_pem.empty()) {
    // Only the pinned CAs, whatever curl loaded: never the system store.
    SSL_CTX_set_cert_store(ctx, pki::trust_store(trust_.ca_pem));
    if (!trust_.peer_terminal.empty()) SSL_CTX_set_cert_verify_callback(ctx, verify_peer_cb, this);
    return 1;
  }
  if (!trust_.peer_terminal.empty()) return 0;  // a hall peer is only ever trusted through the pinned CA
  if (trust_.ca_fingerprint.size() != 64) return 0;  // neither pinned CA nor fingerprint: refuse
  SSL_CTX_set_cert_store(ctx, X509_STORE_new());
  SSL_CTX_set_cert_verify_callback(ctx, verify_cb, this);
  return 1;
}

// The spec's fingerprint rule: some CA certificate in the presented chain has
// the fingerprint, and the server's certificate verifies up to it. (curl
// checks the host name itself afterwards.)
int HttpClient::verify_fingerprint_chain(void* raw) {
  auto* ctx = static_cast<X509_STORE_CTX*>(raw);
  X509* leaf = X509_STORE_CTX_get0_cert(ctx);
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_untrusted(ctx);
  X509* match = nullptr;
  auto consider = [&](X509* c) {
    if (c && !match && X509_check_ca(c) > 0 && pki::fingerprint(c) == trust_.ca_fingerprint) match = c;
  };
  consider(leaf);
  for (int i = 0; chain && i < sk_X509_num(chain); ++i) consider(sk_X509_value(chain, i));
  if (!match) {
    tls_detail_ = "no CA certificate in the chain the server presented has the fingerprint " + trust_.ca_fingerprint;
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_CERT_UNTRUSTED);
    return 0;
  }
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, match);
  X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
  X509_STORE_CTX* v = X509_STORE_CTX_new();
  int ok = 0;
  if (X509_STORE_CTX_init(v, store, leaf, chain) == 1) {
    X509_STORE_CTX_set_purpose(v, X509_PURPOSE_SSL_SERVER);
    ok = X509_verify_cert(v) == 1 ? 1 : 0;
  }
  const int err = ok ? X509_V_OK : X509_STORE_CTX_get_error(v);
  X509_STORE_CTX_free(v);
  X509_STORE_free(store);
  X509_STORE_CTX_set_error(ctx, err);
  if (ok) matched_ca_pem_ = pki::to_pem(match);
  else tls_detail_ = std::string("the server's certificate does not verify up to the fingerprinted CA: ") +
                     X509_verify_cert_error_string(err);
  return ok;
}

// A hall peer: its certificate verifies up to the pinned CA as a terminal's
// certificate does (clientAuth: the central issues no other kind to
// terminals) and its subject is the terminal id the setting names.
int HttpClient::verify_terminal_peer(void* raw) {
  auto* ctx = static_cast<X509_STORE_CTX*>(raw);
  // The context came with the server purpose set, which set_purpose keeps.
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_CLIENT);
  X509_VERIFY_PARAM_set_trust(param, X509_TRUST_SSL_CLIENT);
  if (X509_verify_cert(ctx) != 1) {
    tls_detail_ = std::string("the hall terminal's certificate does not verify up to this terminal's central: ") +
                  X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    return 0;
  }
  const std::string cn = pki::subject_cn(X509_STORE_CTX_get0_cert(ctx));
  if (cn != trust_.peer_terminal) {
    tls_detail_ = "the hall terminal's certificate names " + cn + ", not " + trust_.peer_terminal;
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_HOSTNAME_MISMATCH);
    return 0;
  }
  return 1;
}

Result<HttpResponse> HttpClient::send(const HttpRequest& req) {
  auto* curl = static_cast<CURL*>(curl_);
  if (!curl) return make_error("unreachable", "libcurl could not start");
  if (stop_requested()) return make_error("stopped", "shutting down");
  if (base_url_.rfind("https://", 0) != 0)
    return make_error("config_invalid", "the central's URL must start with https:// (got \"" + base_url_ + "\")");
  curl_easy_reset(curl);  // keeps the live connection and TLS session
  tls_detail_.clear();
  HttpResponse resp;
  Capture cap{this, &resp, curl, &req.body_sink};
  char errbuf[CURL_ERROR_SIZE] = "";
  const std::string url = base_url_ + req.path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");  // never an environment proxy
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, trust_.peer_terminal.empty() ? 2L : 0L);  // a peer: its id instead
  curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, kTls12Ciphers);  // AEAD only (TLS 1.3 is AEAD anyway)
  curl_easy_setopt(curl, CURLOPT_CAINFO, static_cast<char*>(nullptr));
  curl_easy_setopt(curl, CURLOPT_CAPATH, static_cast<char*>(nullptr));
  curl_blob ca_blob{const_cast<char*>(trust_.ca_pem.data()), trust_.ca_pem.size(), CURL_BLOB_COPY};
  if (!trust_.ca_pem.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca_blob);
  curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx_cb);
  curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, this);
  curl_blob cert_blob{const_cast<char*>(trust_.client_cert_pem.data()), trust_.client_cert_pem.size(), CURL_BLOB_COPY};
  curl_blob key_blob{const_cast<char*>(trust_.client_key_pem.data()), trust_.client_key_pem.size(), CURL_BLOB_COPY};
  if (!trust_.client_cert_pem.empty() && !trust_.client_key_pem.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert_blob);
    curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key_blob);
    curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeouts_.connect_s);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, timeouts_.stall_s);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &cap);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &cap);
  if (req.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (req.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    if (req.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.empty() ? "" : req.body.data());
  }
  // No 100-continue round trip unless asked for.
  curl_slist* headers = curl_slist_append(nullptr, req.expect_continue ? "Expect: 100-continue" : "Expect:");
  if (req.expect_continue) curl_easy_setopt(curl, CURLOPT_EXPECT_100_TIMEOUT_MS, 500L);
  for (const auto& [k, v] : req.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_off_t sent = 0;
  curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &sent);
  body_bytes_sent_ += sent;
  if (rc != CURLE_OK) {
    if (cap.too_large) return make_error("response_too_large", "the central's answer is larger than 64 MiB");
    if (cap.sink_refused) return make_error("write_failed", "the download could not be stored");
    double connect_time = 0;
    curl_easy_getinfo(curl, CURLINFO_APPCONNECT_TIME, &connect_time);
    const std::string detail = tls_detail_.empty() ? errbuf : tls_detail_;
    return transport_error(rc, detail.c_str(), connect_time > 0, stop_requested());
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp.status);
  return resp;
}

}  // namespace bianmin::sync
