// Applications (idempotent by client_id within the sending terminal: one
// terminal cannot squat another's keys), status polling and the progress
// query with its receipt token.
#include <thread>

#include "base/time.h"
#include "central/central.h"
#include "central/http_util.h"
#include "central/requests.h"
#include "crypto/suite.h"
#include "outbox/receipt_token.h"

namespace bianmin::sync::central {

using json = nlohmann::json;

namespace {

crypto::Suite suite_of(const std::string& hash) { return hash == "sm3" ? crypto::Suite::gm : crypto::Suite::standard; }

// Marks an idempotency key as being processed for the lifetime of the guard.
class KeyGuard {
 public:
  KeyGuard(std::mutex& mu, std::set<std::string>& keys, std::string key) : mu_(mu), keys_(keys), key_(std::move(key)) {
    std::lock_guard<std::mutex> lock(mu_);
    held_ = keys_.insert(key_).second;
  }
  ~KeyGuard() {
    if (!held_) return;
    std::lock_guard<std::mutex> lock(mu_);
    keys_.erase(key_);
  }
  KeyGuard(const KeyGuard&) = delete;
  KeyGuard& operator=(const KeyGuard&) = delete;
  bool held() const { return held_; }

 private:
  std::mutex& mu_;
  std::set<std::string>& keys_;
  std::string key_;
  bool held_ = false;
};

}  // namespace

void Central::on_application(const httplib::Request& req, httplib::Response& res) {
  auto terminal = authenticate(req, res);
  if (!terminal) return;
  if (req.body.size() > kMaxJsonBody) return reply_error(res, 413, "too_large", "an application body is at most 4 MiB");
  const std::string key = req.get_header_value("Idempotency-Key");
  if (key.empty()) return reply_error(res, 400, "idempotency_key_required", "send Idempotency-Key: <client_id>");
  auto app = parse_application(req.body);
  if (!app) return reply_error(res, 400, "bad_request", app.error().message);
  if (app->client_id != key)
    return reply_error(res, 400, "bad_request", "Idempotency-Key must be the application's client_id");
  KeyGuard guard(keys_mu_, in_progress_, "application:" + terminal->terminal_id + "\n" + key);
  if (!guard.held()) return reply_error(res, 409, "in_progress", "this application is still being processed; retry later");
  if (opts_.processing_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(opts_.processing_delay_ms));
  const std::string content_hash = crypto::sha256_hex(app->canonical);
  {
    auto lock = db_->lock();
    auto st = db_->prepare("SELECT content_hash, response FROM applications WHERE terminal_id = ? AND client_id = ?");
    if (!st) return reply_error(res, 500, "internal", st.error().message);
    st->bind(1, terminal->terminal_id).bind(2, key);
    if (auto row = st->step(); row && *row) {
      if (st->text(0) != content_hash)
        return reply_error(res, 422, "idempotency_conflict", "this client_id was first sent with other content, which stands");
      res.status = 200;
      res.set_content(st->text(1), "application/json");
      return;
    }
  }
  auto cat = active_catalog();
  if (!cat) {
    res.set_header("Retry-After", "60");
    return reply_error(res, 503, "catalog_unavailable", "no catalogue is published yet");
  }
  const catalog::Item* item = cat->catalog.find(app->item_code);
  if (!item) return reply_error(res, 422, "unknown_item", "item " + app->item_code + " is not in the published lists");
  if (app->channel == "kiosk" && !item->kiosk_submittable)
    return reply_error(res, 422, "not_kiosk_submittable", "item " + app->item_code + " cannot be submitted at a kiosk");

  auto lock = db_->lock();
  json missing = json::array();
  for (const auto& ref : app->blobs) {
    // Only blobs this terminal uploaded itself count as present.
    auto view = blob_view(terminal->terminal_id, ref.sha256);
    if (!view) return reply_error(res, 500, "internal", view.error().message);
    if (!view->complete || (ref.bytes >= 0 && view->length != ref.bytes)) missing.push_back(ref.sha256);
  }
  if (!missing.empty())
    return reply_error(res, 412, "blobs_missing", "some referenced blobs are not complete here", {{"missing", missing}});
  const auto now = std::chrono::system_clock::now();
  const std::string received_at = time::format_rfc3339(now);
  const std::string deadline = add_working_days(now, item->promised_days);
  json response;
  auto done = db_->transaction([&]() -> Status {
    const std::string region = terminal->region_code.empty() ? "000000" : terminal->region_code;
    const std::string day = time::local_date_compact(now);
    BIANMIN_ASSIGN(int64_t n, db_->bump("case:" + region + ":" + day));
    char seq[16];
    std::snprintf(seq, sizeof seq, "%06lld", static_cast<long long>(n));
    const std::string case_no = region + day + seq;
    response = {{"client_id", app->client_id}, {"case_no", case_no}, {"status", "received"},
                {"received_at", received_at}, {"deadline", deadline}};
    BIANMIN_ASSIGN(store::Statement ins, db_->prepare(
        "INSERT INTO applications(client_id, terminal_id, receipt_no, item_code, channel, content_hash, body, response, "
        "case_no, status, received_at, updated_at, deadline, token) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?)"));
    ins.bind(1, app->client_id).bind(2, terminal->terminal_id).bind(3, app->receipt_no).bind(4, app->item_code)
        .bind(5, app->channel).bind(6, content_hash).bind(7, req.body).bind(8, response.dump()).bind(9, case_no)
        .bind(10, received_at).bind(11, received_at).bind(12, deadline)
        .bind(13, app->receipt_token.empty() ? outbox::receipt_token_v1(suite_of(terminal->hash), app->client_id)
                                             : app->receipt_token);
    BIANMIN_TRY(ins.run());
    BIANMIN_ASSIGN(store::Statement h, db_->prepare(
        "INSERT INTO history(case_no, seq, status, at, note) VALUES(?, 1, 'received', ?, ?)"));
    h.bind(1, case_no).bind(2, received_at).bind(3, "received from terminal " + terminal->terminal_id);
    return h.run();
  });
  if (!done) return reply_error(res, 500, "internal", done.error().message);
  res.status = 201;
  res.set_content(response.dump(), "application/json");
}

void Central::on_status_query(const httplib::Request& req, httplib::Response& res) {
  auto terminal = authenticate(req, res);
  if (!terminal) return;
  if (req.body.size() > kMaxJsonBody) return reply_error(res, 413, "too_large", "body too large");
  auto ids = parse_status_query(req.body);
  if (!ids) return reply_error(res, 400, "bad_request", ids.error().message);
  json statuses = json::array();
  auto lock = db_->lock();
  for (const auto& id : *ids) {
    auto s = status_of(terminal->terminal_id, id);  // another terminal's id: nothing
    if (s) statuses.push_back(std::move(s).value());
  }
  reply_json(res, 200, {{"statuses", statuses}});
}

void Central::on_progress(const httplib::Request& req, httplib::Response& res) {
  if (!authenticate(req, res)) return;
  const std::string receipt = req.get_param_value("receipt_no");
  const std::string token = req.get_param_value("token");
  auto lock = db_->lock();
  // Receipt numbers are unique per terminal only (two halls may both have a
  // K03): the token, not the number, picks the application.
  auto st = db_->prepare("SELECT terminal_id, client_id, token FROM applications WHERE receipt_no = ?");
  if (!st) return reply_error(res, 500, "internal", st.error().message);
  st->bind(1, receipt);
  std::optional<std::pair<std::string, std::string>> match;
  for (;;) {
    auto row = st->step();
    if (!row || !*row) break;
    if (!token.empty() && crypto::constant_time_equal(st->text(2), token)) match.emplace(st->text(0), st->text(1));
  }
  // Same answer for "no such receipt" and "wrong token": nothing leaks.
  if (!match) return reply_error(res, 404, "not_found", "no application matches this receipt and token");
  auto s = status_of(match->first, match->second);
  if (!s) return reply_error(res, 500, "internal", s.error().message);
  reply_json(res, 200, *s);
}

}  // namespace bianmin::sync::central
