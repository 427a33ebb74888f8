// The central's start-up (database, CA, server certificate), TLS set-up,
// routing and client authentication.
#include "central/central.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include "base/bytes.h"
#include "base/fs.h"
#include "base/log.h"
#include "central/guarded_server.h"
#include "central/http_util.h"
#include "central/request_gate.h"
#include "common/tls_policy.h"

namespace bianmin::sync::central {
namespace {

X509* read_cert(const std::string& pem) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* c = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  return c;
}

EVP_PKEY* read_key(const std::string& pem) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* k = PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  return k;
}

}  // namespace

Result<std::unique_ptr<Central>> Central::open(const CentralOptions& options) {
  BIANMIN_TRY(fs::make_dirs(options.data_dir + "/blobs/tmp", 0700));
  BIANMIN_TRY(fs::make_dirs(options.data_dir + "/blobs/parts", 0700));
  BIANMIN_ASSIGN(auto db, CentralDb::open(options.data_dir + "/central.db"));
  std::unique_ptr<Central> c(new Central(options, std::move(db)));
  BIANMIN_TRY(c->load_or_create_authority());
  c->discard_unowned_parts();
  return c;
}

Central::Central(CentralOptions o, std::unique_ptr<CentralDb> db)
    : opts_(std::move(o)),
      db_(std::move(db)),
      enrol_attempts_(opts_.enroll_failures_allowed, std::chrono::seconds(opts_.enroll_failure_window_s)),
      return_schedule_(opts_.retry_after_s) {}

Central::~Central() {
  stop();
  if (demo_.joinable()) demo_.join();
}

// The CA is made once and kept (its fingerprint is what technicians type);
// the server certificate is issued afresh at every start for the host names
// of this run.
Status Central::load_or_create_authority() {
  const std::string dir = opts_.data_dir;
  if (fs::exists(dir + "/ca.pem") && fs::exists(dir + "/ca.key")) {
    BIANMIN_ASSIGN(authority_.cert_pem, fs::read_file(dir + "/ca.pem"));
    BIANMIN_ASSIGN(authority_.key_pem, fs::read_file(dir + "/ca.key"));
  } else {
    // Tells this central's CA from any other's at a glance (fingerprints are
    // what is checked); from the CSPRNG, not the libc generator every
    // process starts in the same state.
    unsigned char raw[4];
    if (RAND_bytes(raw, sizeof raw) != 1) return make_error("tls_failed", "no randomness for the CA's name");
    const std::string tag(reinterpret_cast<const char*>(raw), sizeof raw);
    BIANMIN_ASSIGN(authority_, pki::create_authority("bianmin reference central CA " + to_hex(tag), 3650));
    BIANMIN_TRY(fs::write_durably(dir + "/blobs/tmp", dir, "ca.key", authority_.key_pem, 0600));
    BIANMIN_TRY(fs::write_durably(dir + "/blobs/tmp", dir, "ca.pem", authority_.cert_pem, 0644));
    log::info("central", "created the central's CA", {{"fingerprint", ca_fingerprint()}});
  }
  BIANMIN_ASSIGN(server_cert_, pki::issue_server_cert(authority_, opts_.hostnames, 825));
  return {};
}

std::string Central::ca_fingerprint() const {
  auto fp = pki::fingerprint(authority_.cert_pem);
  return fp ? *fp : "";
}

void Central::count_arrival() {
  metrics_.requests.fetch_add(1);
  std::lock_guard<std::mutex> lock(arrivals_mu_);
  const auto slot = static_cast<std::size_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count() / 100);
  if (slot < (1u << 22)) {
    if (arrivals_.size() <= slot) arrivals_.resize(slot + 1, 0);
    ++arrivals_[slot];
  }
}

std::vector<uint32_t> Central::arrivals() const {
  std::lock_guard<std::mutex> lock(arrivals_mu_);
  return arrivals_;
}

Result<int> Central::bind(const std::string& host, int port) {
  ConnectionLimits limits;
  limits.threads = opts_.threads;
  limits.max_per_peer = opts_.max_connections_per_peer;
  limits.header_timeout = std::chrono::milliseconds(opts_.header_timeout_ms);
  limits.keep_alive_idle = std::chrono::milliseconds(opts_.keep_alive_idle_ms);
  auto* server = new GuardedServer([this](SSL_CTX& ctx) {
    X509* cert = read_cert(server_cert_.cert_pem);
    X509* ca = read_cert(authority_.cert_pem);
    EVP_PKEY* key = read_key(server_cert_.key_pem);
    bool ok = cert && ca && key && SSL_CTX_use_certificate(&ctx, cert) == 1 &&
              SSL_CTX_use_PrivateKey(&ctx, key) == 1 &&
              SSL_CTX_add1_chain_cert(&ctx, ca) == 1;  // the spec: the CA is presented in the chain
    if (ok) {
      X509_STORE_add_cert(SSL_CTX_get_cert_store(&ctx), ca);
      STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
      sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca)));
      SSL_CTX_set_client_CA_list(&ctx, names);
      // Client certificates are asked for but optional at the TLS layer:
      // enrolment and health have none (spec: Transport). One that is
      // presented must verify, and every other route is refused on its
      // headers without one (refuse_early), before its body is read.
      SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
      SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
      ok = SSL_CTX_set_cipher_list(&ctx, kTls12Ciphers) == 1;
      static const unsigned char kSessionContext[] = "bianmin-central";
      SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
    }
    X509_free(cert);
    X509_free(ca);
    EVP_PKEY_free(key);
    return ok;
  }, limits);
  server_.reset(server);
  if (!server->is_valid()) return make_error("tls_failed", "the central's TLS context could not be set up");
  // A backstop only: each route's budget is enforced on the headers (request_gate.h).
  server->set_payload_max_length(static_cast<std::size_t>(kMaxBlobBytes));
  route();
  server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return refuse_early(req, res) ? httplib::Server::HandlerResponse::Handled
                                  : httplib::Server::HandlerResponse::Unhandled;
  });
  server->set_expect_100_continue_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return on_expect_continue(req, res); });
  int bound = port;
  if (port == 0) {
    bound = server->bind_to_any_port(host);
    if (bound <= 0) return make_error("bind_failed", "cannot listen on " + host);
  } else if (!server->bind_to_port(host, port)) {
    return make_error("bind_failed", "cannot listen on " + host + ":" + std::to_string(port));
  }
  if (!server->widen_backlog(SOMAXCONN)) log::warn("central", "the listen backlog stays at cpp-httplib's 5");
  started_ = std::chrono::steady_clock::now();
  if (opts_.demo_advance_s > 0) {
    demo_ = std::thread([this] {
      while (!stopping_) {
        for (int i = 0; i < opts_.demo_advance_s * 10 && !stopping_; ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (stopping_) break;
        if (auto n = advance_open_cases(); n && *n > 0) log::info("central", "demo schedule advanced cases", {{"cases", *n}});
      }
    });
  }
  return bound;
}

void Central::serve() {
  if (server_) server_->listen_after_bind();
}

void Central::stop() {
  if (stopping_.exchange(true)) return;
  if (server_) server_->stop();
  // What arrived in this run, for `stats` after the server is gone (the
  // tests check that a terminal sent nothing to a central it must not trust).
  auto lock = db_->lock();
  (void)db_->bump("requests_served", metrics_.requests.load());
}

std::optional<Central::Terminal> Central::authenticate(const httplib::Request& req, httplib::Response& res) {
  const SSL* ssl = req.ssl;
  X509* peer = ssl ? SSL_get0_peer_certificate(ssl) : nullptr;
  if (!peer) {
    reply_error(res, 401, "client_certificate_required", "this call needs the terminal's client certificate");
    return std::nullopt;
  }
  if (SSL_get_verify_result(ssl) != X509_V_OK) {
    reply_error(res, 401, "certificate_invalid", "the client certificate was not issued by this central");
    return std::nullopt;
  }
  const std::string fp = pki::fingerprint(peer);
  auto lock = db_->lock();
  auto st = db_->prepare("SELECT terminal_id, region_code, hash, audit_seq, audit_hash FROM terminals "
                         "WHERE cert_fingerprint = ?");
  if (!st) {
    reply_error(res, 500, "internal", st.error().message);
    return std::nullopt;
  }
  st->bind(1, fp);
  auto row = st->step();
  if (!row || !*row) {
    reply_error(res, 401, "certificate_unknown", "this certificate was replaced by a later enrolment");
    return std::nullopt;
  }
  return Terminal{st->text(0), st->text(1), st->text(2), st->integer(3), st->text(4)};
}

bool Central::refuse_early(const httplib::Request& req, httplib::Response& res) {
  const RouteBudget budget = budget_for(req.method, req.path);
  // Who is asking comes first: an unauthenticated peer learns nothing of a
  // route's limits.
  bool refused = budget.access == Access::terminal && !authenticate(req, res);
  if (!refused) {
    if (auto refusal = check_framing(req, budget)) {
      reply_error(res, refusal->status, refusal->code, refusal->message);
      refused = true;
    }
  }
  if (!refused && req.method == "POST" && req.path == "/api/v1/enroll") {
    if (const int64_t wait = enrol_attempts_.wait_s(req.remote_addr); wait > 0) {
      res.set_header("Retry-After", std::to_string(wait));
      reply_error(res, 429, "too_many_attempts", "too many refused enrolments from this address; retry later");
      refused = true;
    }
  }
  if (!refused) return false;
  count_arrival();
  res.set_header("Connection", "close");  // its body is never read: nothing after it can be trusted as a request
  return true;
}

// Every request is counted, shed with 503 + Retry-After when too many are in
// flight (max_inflight), and never allowed to throw into the server loop.
template <class Fn>
void Central::guarded(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader,
                      Fn&& body) {
  count_arrival();
  struct Inflight {
    std::atomic<int>& n;
    ~Inflight() { --n; }
  } inflight{inflight_};
  const int now = ++inflight_;
  if (opts_.max_inflight > 0 && now > opts_.max_inflight) {
    metrics_.rejected_busy.fetch_add(1);
    if (reader) (*reader)([](const char*, std::size_t) { return true; });  // drain the chunk
    res.set_header("Retry-After", std::to_string(return_schedule_.rejected()));
    reply_error(res, 503, "busy", "the central is busy; retry later");
    keep_body_whole(req, res);
    return;
  }
  if (opts_.max_inflight > 0) return_schedule_.served();
  try {
    body();
  } catch (const std::exception& e) {
    log::error("central", "handler failed", {{"path", req.path}, {"error", e.what()}});
    reply_error(res, 500, "internal", e.what());
  }
  keep_body_whole(req, res);
}

void Central::route() {
  using httplib::Request;
  using httplib::Response;
  using Handler = httplib::Server::Handler;
  auto& s = *server_;
  auto plain = [this](void (Central::*fn)(const Request&, Response&)) -> Handler {
    return [this, fn](const Request& q, Response& r) { guarded(q, r, nullptr, [&] { (this->*fn)(q, r); }); };
  };
  auto feedback = [this](const char* kind) -> Handler {
    return [this, kind](const Request& q, Response& r) { guarded(q, r, nullptr, [&] { on_feedback(q, r, kind); }); };
  };
  s.Get("/api/v1/health", plain(&Central::on_health));
  s.Post("/api/v1/enroll", [this](const Request& q, Response& r) {
    guarded(q, r, nullptr, [&] {
      on_enroll(q, r);
      // A refused code or a malformed request counts against the address
      // (code guessing); a server fault does not.
      if (r.status >= 400 && r.status < 500) enrol_attempts_.failed(q.remote_addr);
    });
  });
  s.Get("/api/v1/catalog", plain(&Central::on_catalog));
  // HEAD is served by the GET route (cpp-httplib drops the body).
  s.Get(R"(/api/v1/blobs/([0-9a-f]{64}))", plain(&Central::on_blob_head));
  s.Patch(R"(/api/v1/blobs/([0-9a-f]{64}))",
          httplib::Server::HandlerWithContentReader(
              [this](const Request& q, Response& r, const httplib::ContentReader& c) {
                guarded(q, r, &c, [&] { on_blob_patch(q, r, c); });
              }));
  s.Post("/api/v1/applications", plain(&Central::on_application));
  s.Post("/api/v1/applications/status", plain(&Central::on_status_query));
  s.Get("/api/v1/progress", plain(&Central::on_progress));
  s.Post("/api/v1/ratings", feedback("rating"));
  s.Post("/api/v1/complaints", feedback("complaint"));
  s.Post("/api/v1/audit", plain(&Central::on_audit));
  s.Post("/api/v1/heartbeat", plain(&Central::on_heartbeat));
  s.Get(R"(/api/v1/updates/([0-9a-f]{64}))", plain(&Central::on_update_download));
  s.set_error_handler([](const Request& req, Response& res) {
    // (A body already handed to a provider, keep_body_whole, is not empty.)
    if (res.body.empty() && !res.content_provider_) {
      reply_error(res, res.status, res.status == 404 ? "not_found" : "error", "HTTP error");
      keep_body_whole(req, res);
    }
  });
}

}  // namespace bianmin::sync::central
