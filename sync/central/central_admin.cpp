// The central's management side (enrolment codes, catalogue publishing,
// the status workflow, heartbeat commands, statistics) and the Status
// document both the terminal's poll and the progress query return.
#include <openssl/rand.h>

#include <ctime>

#include "base/fs.h"
#include "base/log.h"
#include "base/time.h"
#include "catalog/parse.h"
#include "central/central.h"
#include "central/http_util.h"
#include "central/requests.h"
#include "common/wire.h"
#include "crypto/suite.h"
#include "outbox/delivery.h"

namespace bianmin::sync::central {

using json = nlohmann::json;

namespace {

constexpr const char* kWorkflow[] = {"received", "accepted", "in_review", "approved", "delivered"};

std::string fresh_code() {
  static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // no 0/O, 1/I/L
  unsigned char rnd[12];
  RAND_bytes(rnd, sizeof rnd);
  std::string out;
  for (int i = 0; i < 12; ++i) {
    if (i && i % 4 == 0) out += '-';
    out += kAlphabet[rnd[i] % (sizeof kAlphabet - 1)];
  }
  return out;
}

std::string today_local() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace

std::string add_working_days(std::chrono::system_clock::time_point from, int days) {
  std::time_t t = std::chrono::system_clock::to_time_t(from);
  std::tm tm{};
  localtime_r(&t, &tm);
  int64_t day = time::days_from_civil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                                      static_cast<unsigned>(tm.tm_mday));
  for (int left = std::max(0, days); left > 0;) {
    ++day;
    const int64_t weekday = (day + 4) % 7;  // 1970-01-01 was a Thursday (4); 0 = Sunday
    if (weekday != 0 && weekday != 6) --left;
  }
  const std::time_t secs = static_cast<std::time_t>(day * 86400);
  std::tm out{};
  gmtime_r(&secs, &out);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &out);
  return buf;
}

Result<std::string> Central::add_enrollment_code(const std::string& terminal_id, const std::string& region_code,
                                                 const std::string& hall_name, std::string code, int valid_hours) {
  if (terminal_id.empty()) return make_error("input_invalid", "--terminal-id is required");
  if (code.empty()) code = fresh_code();
  auto lock = db_->lock();
  BIANMIN_ASSIGN(store::Statement st, db_->prepare(
      "INSERT INTO enrollment_codes(code, terminal_id, region_code, hall_name, expires_at, created_at) "
      "VALUES(?, ?, ?, ?, ?, ?)"));
  st.bind(1, code).bind(2, terminal_id).bind(3, region_code).bind(4, hall_name)
      .bind(5, static_cast<int64_t>(std::time(nullptr)) + int64_t{valid_hours} * 3600).bind(6, time::now_rfc3339());
  BIANMIN_TRY(st.run());
  return code;
}

Result<std::string> Central::publish_catalog(const std::string& text) {
  BIANMIN_ASSIGN(auto parsed, catalog::parse_catalog(text));
  auto lock = db_->lock();
  BIANMIN_ASSIGN(store::Statement cur, db_->prepare("SELECT body FROM catalogs WHERE version = ?"));
  cur.bind(1, parsed.catalog.version);
  BIANMIN_ASSIGN(bool exists, cur.step());
  if (exists) {
    if (cur.text(0) == text) return parsed.catalog.version;
    return make_error("input_invalid", "catalogue version " + parsed.catalog.version +
                                           " was already published with other content; give it a new version");
  }
  BIANMIN_ASSIGN(store::Statement st, db_->prepare("INSERT INTO catalogs(version, body, published_at) VALUES(?, ?, ?)"));
  st.bind(1, parsed.catalog.version).bind(2, text).bind(3, time::now_rfc3339());
  BIANMIN_TRY(st.run());
  return parsed.catalog.version;
}

std::shared_ptr<const Central::ActiveCatalog> Central::active_catalog() {
  int64_t id = 0;
  std::string version, body;
  {
    auto lock = db_->lock();
    auto st = db_->prepare("SELECT id, version, body FROM catalogs ORDER BY id DESC LIMIT 1");
    if (!st) return nullptr;
    auto row = st->step();
    if (!row || !*row) return nullptr;
    id = st->integer(0);
    std::lock_guard<std::mutex> cl(catalog_mu_);
    if (catalog_ && catalog_->id == id) return catalog_;
    version = st->text(1);
    body = st->text(2);
  }
  auto parsed = catalog::parse_catalog(body);
  if (!parsed) return nullptr;
  auto fresh = std::make_shared<ActiveCatalog>();
  fresh->id = id;
  fresh->version = version;
  fresh->body = std::move(body);
  fresh->catalog = std::move(parsed->catalog);
  std::lock_guard<std::mutex> cl(catalog_mu_);
  catalog_ = fresh;
  return catalog_;
}

Status Central::advance(const std::string& case_no, const std::string& status, const std::string& note) {
  if (!wire::is_known_status(status)) return make_error("input_invalid", "unknown status " + status);
  auto lock = db_->lock();
  return db_->transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement up, db_->prepare("UPDATE applications SET status = ?, updated_at = ? WHERE case_no = ?"));
    const std::string now = time::now_rfc3339();
    up.bind(1, status).bind(2, now).bind(3, case_no);
    BIANMIN_TRY(up.run());
    BIANMIN_ASSIGN(store::Statement n, db_->prepare("SELECT changes()"));
    BIANMIN_ASSIGN(bool row, n.step());
    if (!row || n.integer(0) == 0) return make_error("not_found", "no case " + case_no);
    BIANMIN_ASSIGN(store::Statement h, db_->prepare(
        "INSERT INTO history(case_no, seq, status, at, note) "
        "VALUES(?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM history WHERE case_no = ?1), ?2, ?3, ?4)"));
    h.bind(1, case_no).bind(2, status).bind(3, now).bind(4, note);
    return h.run();
  });
}

Result<int64_t> Central::advance_open_cases() {
  std::vector<std::pair<std::string, std::string>> moves;
  {
    auto lock = db_->lock();
    BIANMIN_ASSIGN(store::Statement st, db_->prepare(
        "SELECT case_no, status FROM applications WHERE status IN ('received', 'accepted', 'in_review', 'approved')"));
    for (;;) {
      BIANMIN_ASSIGN(bool row, st.step());
      if (!row) break;
      const std::string cur = st.text(1);
      for (std::size_t i = 0; i + 1 < std::size(kWorkflow); ++i)
        if (cur == kWorkflow[i]) moves.emplace_back(st.text(0), kWorkflow[i + 1]);
    }
  }
  for (const auto& [case_no, next] : moves) BIANMIN_TRY(advance(case_no, next, "demo schedule"));
  return static_cast<int64_t>(moves.size());
}

Status Central::queue_command(const std::string& terminal_id, const std::string& type) {
  auto lock = db_->lock();
  BIANMIN_ASSIGN(store::Statement st, db_->prepare(
      "INSERT INTO commands(terminal_id, type, created_at) VALUES(?, ?, ?)"));
  st.bind(1, terminal_id).bind(2, type).bind(3, time::now_rfc3339());
  return st.run();
}

Result<json> Central::status_of(const std::string& terminal_id, const std::string& client_id) {
  BIANMIN_ASSIGN(store::Statement st, db_->prepare(
      "SELECT client_id, case_no, receipt_no, item_code, status, updated_at, deadline FROM applications "
      "WHERE terminal_id = ? AND client_id = ?"));
  st.bind(1, terminal_id).bind(2, client_id);
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return make_error("not_found", "no application " + client_id);
  const std::string status = st.text(4), deadline = st.text(6);
  json out = {{"client_id", st.text(0)}, {"case_no", st.text(1)}, {"receipt_no", st.text(2)},
              {"item_code", st.text(3)}, {"status", status}, {"updated_at", st.text(5)}, {"deadline", deadline},
              {"overdue", !outbox::is_final_status(status) && deadline < today_local()}, {"history", json::array()}};
  BIANMIN_ASSIGN(store::Statement h, db_->prepare("SELECT status, at, note FROM history WHERE case_no = ? ORDER BY seq"));
  h.bind(1, st.text(1));
  for (;;) {
    BIANMIN_ASSIGN(bool hrow, h.step());
    if (!hrow) break;
    out["history"].push_back({{"status", h.text(0)}, {"at", h.text(1)}, {"note", h.text(2)}});
  }
  return out;
}

Result<json> Central::stats(bool verify_blobs) {
  json out;
  std::vector<std::string> bodies;
  {
    auto lock = db_->lock();
    auto count = [&](const std::string& sql) -> Result<int64_t> {
      BIANMIN_ASSIGN(store::Statement st, db_->prepare(sql));
      BIANMIN_ASSIGN(bool row, st.step());
      return row ? st.integer(0) : int64_t{0};
    };
    BIANMIN_ASSIGN(out["applications"], count("SELECT COUNT(*) FROM applications"));
    BIANMIN_ASSIGN(out["distinct_receipts"], count("SELECT COUNT(DISTINCT terminal_id || '/' || receipt_no) FROM applications"));
    BIANMIN_ASSIGN(out["terminals"], count("SELECT COUNT(*) FROM terminals"));
    BIANMIN_ASSIGN(out["blobs_complete"], count("SELECT COUNT(*) FROM blobs"));
    BIANMIN_ASSIGN(out["blob_bytes_complete"], count("SELECT COALESCE(SUM(length), 0) FROM blobs"));
    BIANMIN_ASSIGN(out["ratings"], count("SELECT COUNT(*) FROM feedback WHERE kind = 'rating'"));
    BIANMIN_ASSIGN(out["complaints"], count("SELECT COUNT(*) FROM feedback WHERE kind = 'complaint'"));
    BIANMIN_ASSIGN(out["audit_entries"], count("SELECT COUNT(*) FROM audit_entries"));
    BIANMIN_ASSIGN(out["heartbeats"], count("SELECT COALESCE(SUM(value), 0) FROM counters WHERE name = 'heartbeats'"));
    BIANMIN_ASSIGN(out["patch_body_bytes"], db_->counter("patch_body_bytes"));
    BIANMIN_ASSIGN(out["requests_served"], db_->counter("requests_served"));
    BIANMIN_ASSIGN(out["blob_bytes_appended"], db_->counter("blob_bytes_appended"));
    if (verify_blobs) {
      BIANMIN_ASSIGN(store::Statement st, db_->prepare("SELECT body FROM applications"));
      for (;;) {
        BIANMIN_ASSIGN(bool row, st.step());
        if (!row) break;
        bodies.push_back(st.text(0));
      }
    }
  }
  if (verify_blobs) {
    // Every blob every application references is complete and its bytes
    // hash to its address.
    int64_t checked = 0, bad = 0;
    std::set<std::string> seen;
    for (const auto& b : bodies) {
      auto app = parse_application(b);
      if (!app) {
        ++bad;
        continue;
      }
      for (const auto& ref : app->blobs) {
        if (!seen.insert(ref.sha256).second) continue;
        ++checked;
        auto bytes = fs::read_file(blob_path(ref.sha256), static_cast<std::size_t>(kMaxBlobBytes));
        if (!bytes || crypto::sha256_hex(*bytes) != ref.sha256 ||
            (ref.bytes >= 0 && static_cast<int64_t>(bytes->size()) != ref.bytes))
          ++bad;
      }
    }
    out["blobs_verified"] = checked;
    out["blobs_bad"] = bad;
  }
  out["requests"] = metrics_.requests.load();
  return out;
}

Result<json> Central::list_terminals() {
  auto lock = db_->lock();
  BIANMIN_ASSIGN(store::Statement st, db_->prepare(
      "SELECT terminals.terminal_id, region_code, hall_name, hash, cert_serial, enrolled_at, audit_seq, last_heartbeat, "
      "last_heartbeat_at, b.seq, b.problem, b.detected_at FROM terminals "
      "LEFT JOIN audit_breaks b ON b.terminal_id = terminals.terminal_id AND b.cleared_at IS NULL "
      "ORDER BY terminals.terminal_id"));
  json out = json::array();
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    json hb = st.is_null(7) ? json(nullptr) : json::parse(st.text(7), nullptr, false);
    out.push_back({{"terminal_id", st.text(0)}, {"region_code", st.text(1)}, {"hall_name", st.text(2)},
                   {"hash", st.text(3)}, {"cert_serial", st.text(4)}, {"enrolled_at", st.text(5)},
                   {"audit_seq", st.integer(6)}, {"last_heartbeat", hb}, {"last_heartbeat_at", st.is_null(8) ? json(nullptr) : json(st.text(8))},
                   {"audit_break", st.is_null(9) ? json(nullptr)
                                                 : json{{"seq", st.integer(9)}, {"problem", st.text(10)},
                                                        {"detected_at", st.text(11)}}}});
  }
  return out;
}

Result<json> Central::list_applications() {
  auto lock = db_->lock();
  BIANMIN_ASSIGN(store::Statement st, db_->prepare(
      "SELECT client_id, terminal_id, receipt_no, case_no, item_code, status, received_at, deadline, channel, body "
      "FROM applications ORDER BY received_at, case_no"));
  json out = json::array();
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    json a{{"client_id", st.text(0)}, {"terminal_id", st.text(1)}, {"receipt_no", st.text(2)},
           {"case_no", st.text(3)}, {"item_code", st.text(4)}, {"status", st.text(5)},
           {"received_at", st.text(6)}, {"deadline", st.text(7)}, {"channel", st.text(8)}};
    // Who accepted it and how the applicant was identified; never the
    // applicant's own data in an operator's listing.
    const json body = json::parse(st.text(9), nullptr, false);
    if (body.is_object()) {
      if (auto c = body.find("clerk_id"); c != body.end() && c->is_string()) a["clerk_id"] = *c;
      if (auto ap = body.find("applicant"); ap != body.end() && ap->is_object())
        if (auto v = ap->find("verified_by"); v != ap->end() && v->is_string()) a["verified_by"] = *v;
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace bianmin::sync::central
