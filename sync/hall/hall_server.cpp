#include "hall/hall_server.h"

#include <httplib.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/log.h"
#include "client/enrolment.h"
#include "common/pki.h"
#include "common/tls_policy.h"
#include "hall/hall_wire.h"
#include "queue/hall_queue.h"

namespace bianmin::sync::hall {
namespace {

constexpr size_t kMaxRequestBody = 64 * 1024;
constexpr int kWorkers = 4;  // a hall has a kiosk or two and a few windows

void reply(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

void reply_error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  reply(res, status, nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump());
}

void reply_failure(httplib::Response& res, const Error& e) {
  if (e.code == "bad_request") return reply_error(res, 400, e.code, e.message);
  if (e.code == "not_found") return reply_error(res, 404, e.code, e.message);
  reply_error(res, 500, "internal", e.message);
}

}  // namespace

struct HallServer::Impl {
  ServerOptions options;
  std::unique_ptr<store::Store> store;
  std::mutex store_mu;  // one connection, one request at a time: a hall's rate is a few per minute
  std::unique_ptr<httplib::SSLServer> server;

  // The peer's terminal id when it may use the queue, else "".
  std::string authorised_peer(const httplib::Request& req) const {
    const SSL* ssl = req.ssl;
    X509* peer = ssl ? SSL_get0_peer_certificate(ssl) : nullptr;
    if (!peer || SSL_get_verify_result(ssl) != X509_V_OK) return "";
    const std::string id = pki::subject_cn(peer);
    return std::find(options.clients.begin(), options.clients.end(), id) != options.clients.end() ? id : "";
  }

  template <typename Fn>
  void with_queue(Fn fn) {
    std::lock_guard<std::mutex> lock(store_mu);
    queue::LocalHallQueue q(*store);
    fn(q);
  }

  void route() {
    server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!authorised_peer(req).empty()) return httplib::Server::HandlerResponse::Unhandled;
      log::warn("hall", "refused a terminal not of this hall", {{"peer", req.remote_addr}});
      reply_error(res, 403, "forbidden", "this terminal is not one of queue.clients");
      return httplib::Server::HandlerResponse::Handled;
    });
    server->Post("/hall/v1/tickets", [this](const httplib::Request& req, httplib::Response& res) {
      auto r = parse_issue_request(req.body);
      if (!r) return reply_failure(res, r.error());
      with_queue([&](queue::HallQueue& q) {
        domain::QueueLine line;
        line.letter = r->line;
        line.name = r->line_name;
        auto t = q.issue(line);
        if (!t) return reply_failure(res, t.error());
        log::info("hall", "ticket issued", {{"number", t->number}, {"by", authorised_peer(req)}});
        reply(res, 201, encode_ticket(*t));
      });
    });
    server->Post("/hall/v1/calls", [this](const httplib::Request& req, httplib::Response& res) {
      auto r = parse_call_request(req.body);
      if (!r) return reply_failure(res, r.error());
      with_queue([&](queue::HallQueue& q) {
        auto t = q.call_next(r->lines, r->window_no, r->clerk_id);
        if (!t) return reply_failure(res, t.error());
        reply(res, 200, encode_answer(*t));
      });
    });
    server->Post("/hall/v1/tickets/state", [this](const httplib::Request& req, httplib::Response& res) {
      auto r = parse_state_request(req.body);
      if (!r) return reply_failure(res, r.error());
      with_queue([&](queue::HallQueue& q) {
        if (auto st = q.set_state(r->day, r->number, r->state, r->clerk_id); !st) return reply_failure(res, st.error());
        res.status = 204;
      });
    });
    server->Get("/hall/v1/tickets", [this](const httplib::Request& req, httplib::Response& res) {
      auto lines = parse_letters(req.get_param_value("lines"));
      if (!lines) return reply_failure(res, lines.error());
      const std::string which = req.has_param("which") ? req.get_param_value("which") : "today";
      if (which != "today" && which != "waiting")
        return reply_error(res, 400, "bad_request", "which must be today or waiting");
      with_queue([&](queue::HallQueue& q) {
        auto list = which == "today" ? q.today(*lines) : q.waiting(*lines);
        if (!list) return reply_failure(res, list.error());
        reply(res, 200, encode_list(*list));
      });
    });
    server->Get("/hall/v1/called", [this](const httplib::Request&, httplib::Response& res) {
      with_queue([&](queue::HallQueue& q) {
        auto t = q.last_called();
        if (!t) return reply_failure(res, t.error());
        reply(res, 200, encode_answer(*t));
      });
    });
  }
};

Status parse_listen(const std::string& listen, ServerOptions& into) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return make_error("input_invalid", "queue.listen must be HOST:PORT (e.g. 0.0.0.0:8471), not \"" + listen + "\"");
  int port = 0;
  const std::string digits = listen.substr(colon + 1);
  for (char c : digits) {
    if (c < '0' || c > '9' || port > 65535) return make_error("input_invalid", "queue.listen has a bad port: " + listen);
    port = port * 10 + (c - '0');
  }
  if (digits.empty() || port > 65535) return make_error("input_invalid", "queue.listen has a bad port: " + listen);
  into.host = listen.substr(0, colon);
  into.port = port;
  return {};
}

std::vector<std::string> parse_clients(const std::string& csv) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= csv.size()) {
    size_t comma = csv.find(',', at);
    if (comma == std::string::npos) comma = csv.size();
    std::string id = csv.substr(at, comma - at);
    id.erase(0, id.find_first_not_of(" \t"));
    id.erase(id.find_last_not_of(" \t") + 1);
    if (!id.empty()) out.push_back(std::move(id));
    at = comma + 1;
  }
  return out;
}

HallServer::HallServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HallServer::~HallServer() {
  if (impl_ && impl_->server) impl_->server->stop();
  if (thread_.joinable()) thread_.join();
}

Result<std::unique_ptr<HallServer>> HallServer::start(const ServerOptions& options, const Enrolment& self) {
  if (options.clients.empty())
    return make_error("input_invalid", "queue.listen is set but queue.clients lists no terminal that may use it");
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  BIANMIN_ASSIGN(impl->store, store::Store::open(options.store));
  const std::string cert = self.cert_pem, key = self.key_pem, ca = self.ca_pem;
  impl->server = std::make_unique<httplib::SSLServer>([cert, key, ca](SSL_CTX& ctx) {
    if (!pki::use_identity(&ctx, cert, key)) return false;
    SSL_CTX_set_cert_store(&ctx, pki::trust_store(ca));
    // A peer must present a terminal certificate of this central (the
    // purpose OpenSSL checks on a server is the client's: clientAuth).
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    static const unsigned char kSessionContext[] = "bianmin-hall";
    SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
    return SSL_CTX_set_cipher_list(&ctx, kTls12Ciphers) == 1;
  });
  auto& server = *impl->server;
  if (!server.is_valid()) return make_error("tls_failed", "the hall queue's TLS context could not be set up");
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
  server.set_payload_max_length(kMaxRequestBody);
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.set_keep_alive_timeout(5);
  impl->route();
  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port <= 0) return make_error("bind_failed", "cannot listen on " + options.host);
  } else if (!server.bind_to_port(options.host, port)) {
    return make_error("bind_failed", "cannot listen on " + options.host + ":" + std::to_string(port));
  }
  std::unique_ptr<HallServer> hall(new HallServer(std::move(impl)));
  hall->port_ = port;
  hall->thread_ = std::thread([s = hall->impl_->server.get()] { s->listen_after_bind(); });
  log::info("hall", "serving the hall's queue", {{"listen", options.host + ":" + std::to_string(port)},
                                                  {"clients", static_cast<int64_t>(options.clients.size())}});
  return hall;
}

}  // namespace bianmin::sync::hall
