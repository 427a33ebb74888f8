// Health, enrolment, catalogue, ratings and complaints, heartbeat (audit: central_audit.cpp).
#include <ctime>

#include "audit/audit_log.h"
#include "base/log.h"
#include "base/time.h"
#include "central/central.h"
#include "central/http_util.h"
#include "central/requests.h"
#include "crypto/suite.h"

namespace bianmin::sync::central {

using json = nlohmann::json;

int64_t Central::fleet_size() {
  if (opts_.fleet_size > 0) return opts_.fleet_size;
  std::lock_guard<std::mutex> lock(fleet_mu_);
  const auto now = std::chrono::steady_clock::now();
  if (fleet_counted_at_ != std::chrono::steady_clock::time_point{} && now - fleet_counted_at_ < std::chrono::minutes(1))
    return fleet_counted_;
  fleet_counted_at_ = now;
  auto db = db_->lock();
  if (auto st = db_->prepare("SELECT COUNT(*) FROM terminals"); st)
    if (auto row = st->step(); row && *row) fleet_counted_ = st->integer(0);
  return fleet_counted_;
}

// The answer carries, beyond the spec's fields, the window over which the
// fleet should spread its return after an outage (return_window_s, the
// implementer's choice: a conforming terminal ignores it). Only a caller with
// a certificate of this central's CA gets it: it tells of the fleet's size,
// and the health call itself needs no certificate.
void Central::on_health(const httplib::Request& req, httplib::Response& res) {
  json body = {{"status", "ok"}, {"server_time", time::now_rfc3339_millis()}, {"api", 1}};
  const bool terminal = req.ssl && SSL_get0_peer_certificate(req.ssl) && SSL_get_verify_result(req.ssl) == X509_V_OK;
  if (const int64_t window =
          terminal ? return_schedule_.return_window_s(fleet_size(), opts_.return_requests, opts_.capacity_per_s) : 0;
      window > 0)
    body["return_window_s"] = window;
  reply_json(res, 200, body);
}

void Central::on_enroll(const httplib::Request& req, httplib::Response& res) {
  if (req.body.size() > kMaxJsonBody) return reply_error(res, 413, "too_large", "body too large");
  auto er = parse_enrol_request(req.body);
  if (!er) return reply_error(res, 400, "bad_request", er.error().message);
  auto lock = db_->lock();
  json reply;
  std::string refusal;
  auto done = db_->transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement code, db_->prepare(
        "SELECT terminal_id, region_code, hall_name, expires_at, used_at FROM enrollment_codes WHERE code = ?"));
    code.bind(1, er->code);
    BIANMIN_ASSIGN(bool row, code.step());
    if (!row || !code.is_null(4) || code.integer(3) < static_cast<int64_t>(std::time(nullptr))) {
      refusal = "enrollment_code_invalid";
      return make_error("refused", "");
    }
    const std::string terminal_id = code.text(0), region = code.text(1), hall = code.text(2);
    auto issued = pki::sign_client_csr(authority_, er->csr_pem, terminal_id, 825);
    if (!issued) {
      refusal = issued.error().message;
      return issued.take_error();
    }
    BIANMIN_ASSIGN(store::Statement used, db_->prepare("UPDATE enrollment_codes SET used_at = ? WHERE code = ?"));
    used.bind(1, time::now_rfc3339()).bind(2, er->code);
    BIANMIN_TRY(used.run());
    // Re-enrolment replaces the certificate; the audit chain continues.
    BIANMIN_ASSIGN(store::Statement t, db_->prepare(
        "INSERT INTO terminals(terminal_id, region_code, hall_name, hash, cert_fingerprint, cert_serial, serial, model, "
        "firmware_version, enrolled_at, audit_hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(terminal_id) DO UPDATE SET region_code = excluded.region_code, hall_name = excluded.hall_name, "
        "hash = excluded.hash, cert_fingerprint = excluded.cert_fingerprint, cert_serial = excluded.cert_serial, "
        "serial = excluded.serial, model = excluded.model, firmware_version = excluded.firmware_version, "
        "enrolled_at = excluded.enrolled_at"));
    t.bind(1, terminal_id).bind(2, region).bind(3, hall).bind(4, er->hash).bind(5, issued->fingerprint)
        .bind(6, issued->serial_hex).bind(7, er->serial).bind(8, er->model).bind(9, er->firmware_version)
        .bind(10, time::now_rfc3339()).bind(11, audit::kGenesisHash);
    BIANMIN_TRY(t.run());
    reply = {{"terminal_id", terminal_id}, {"certificate_pem", issued->cert_pem}, {"ca_chain_pem", authority_.cert_pem},
             {"region_code", region}, {"hall_name", hall}, {"config", {{"receipt_query_url", opts_.receipt_query_url}}}};
    return {};
  });
  if (!done) {
    if (refusal == "enrollment_code_invalid")
      return reply_error(res, 403, "enrollment_code_invalid", "the enrolment code is used, expired or unknown");
    if (!refusal.empty()) return reply_error(res, 400, "csr_invalid", refusal);
    return reply_error(res, 500, "internal", done.error().message);
  }
  log::info("central", "terminal enrolled", {{"terminal_id", reply["terminal_id"].get<std::string>()}});
  reply_json(res, 201, reply);
}

void Central::on_catalog(const httplib::Request& req, httplib::Response& res) {
  if (!authenticate(req, res)) return;
  auto cat = active_catalog();
  if (!cat) return reply_error(res, 404, "no_catalog", "no catalogue is published");
  res.set_header("ETag", "\"" + cat->version + "\"");
  if (if_none_match_matches(req.get_header_value("If-None-Match"), cat->version)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(cat->body, "application/json");
}

void Central::on_feedback(const httplib::Request& req, httplib::Response& res, const std::string& kind) {
  auto terminal = authenticate(req, res);
  if (!terminal) return;
  if (req.body.size() > kMaxJsonBody) return reply_error(res, 413, "too_large", "body too large");
  auto fb = kind == "rating" ? parse_rating(req.body) : parse_complaint(req.body);
  if (!fb) return reply_error(res, 400, "bad_request", fb.error().message);
  if (req.get_header_value("Idempotency-Key") != fb->id)
    return reply_error(res, 400, "bad_request", "Idempotency-Key must be the " + kind + "'s id");
  // Ids are scoped per terminal: another terminal's rating id is not this one's.
  const std::string progress_key = kind + ":" + terminal->terminal_id + "\n" + fb->id;
  std::unique_lock<std::mutex> keys(keys_mu_);
  if (!in_progress_.insert(progress_key).second)
    return reply_error(res, 409, "in_progress", "still being processed; retry later");
  keys.unlock();
  struct Release {
    Central* c;
    std::string key;
    ~Release() {
      std::lock_guard<std::mutex> l(c->keys_mu_);
      c->in_progress_.erase(key);
    }
  } release{this, progress_key};
  const std::string hash = crypto::sha256_hex(fb->canonical);
  auto lock = db_->lock();
  auto st = db_->prepare("SELECT content_hash, response FROM feedback WHERE kind = ? AND terminal_id = ? AND id = ?");
  if (!st) return reply_error(res, 500, "internal", st.error().message);
  st->bind(1, kind).bind(2, terminal->terminal_id).bind(3, fb->id);
  if (auto row = st->step(); row && *row) {
    if (st->text(0) != hash) return reply_error(res, 422, "idempotency_conflict", "this id was first sent with other content");
    res.status = 200;
    res.set_content(st->text(1), "application/json");
    return;
  }
  const std::string at = time::now_rfc3339();
  const std::string response = json{{"id", fb->id}, {"received_at", at}}.dump();
  auto ins = db_->prepare("INSERT INTO feedback(kind, id, terminal_id, content_hash, body, response, received_at) "
                          "VALUES(?, ?, ?, ?, ?, ?, ?)");
  if (!ins) return reply_error(res, 500, "internal", ins.error().message);
  ins->bind(1, kind).bind(2, fb->id).bind(3, terminal->terminal_id).bind(4, hash).bind(5, req.body).bind(6, response).bind(7, at);
  if (auto r = ins->run(); !r) return reply_error(res, 500, "internal", r.error().message);
  res.status = 201;
  res.set_content(response, "application/json");
}

void Central::on_heartbeat(const httplib::Request& req, httplib::Response& res) {
  auto terminal = authenticate(req, res);
  if (!terminal) return;
  if (req.body.size() > kMaxJsonBody) return reply_error(res, 413, "too_large", "body too large");
  auto hb = parse_heartbeat(req.body);
  if (!hb) return reply_error(res, 400, "bad_request", hb.error().message);
  auto cat = active_catalog();
  json commands = json::array();
  auto lock = db_->lock();
  auto done = db_->transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement up, db_->prepare(
        "UPDATE terminals SET last_heartbeat = ?, last_heartbeat_at = ? WHERE terminal_id = ?"));
    up.bind(1, hb->canonical).bind(2, time::now_rfc3339()).bind(3, terminal->terminal_id);
    BIANMIN_TRY(up.run());
    BIANMIN_TRY(db_->bump("heartbeats"));
    BIANMIN_ASSIGN(store::Statement cmds, db_->prepare(
        "UPDATE commands SET delivered_at = ? WHERE terminal_id = ? AND delivered_at IS NULL RETURNING type"));
    cmds.bind(1, time::now_rfc3339()).bind(2, terminal->terminal_id);
    for (;;) {
      BIANMIN_ASSIGN(bool row, cmds.step());
      if (!row) break;
      commands.push_back({{"type", cmds.text(0)}});
    }
    if (auto update = update_command(req, terminal->terminal_id, hb->running_version)) commands.push_back(*update);
    return {};
  });
  if (!done) return reply_error(res, 500, "internal", done.error().message);
  reply_json(res, 200, {{"server_time", time::now_rfc3339()}, {"catalog_version", cat ? cat->version : ""},
                        {"commands", commands}});
}

}  // namespace bianmin::sync::central
