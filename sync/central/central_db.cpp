#include "central/central_db.h"

namespace bianmin::sync::central {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS enrollment_codes (
  code TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, region_code TEXT NOT NULL, hall_name TEXT NOT NULL,
  expires_at INTEGER NOT NULL, created_at TEXT NOT NULL, used_at TEXT);
CREATE TABLE IF NOT EXISTS terminals (
  terminal_id TEXT PRIMARY KEY, region_code TEXT NOT NULL, hall_name TEXT NOT NULL,
  hash TEXT NOT NULL, cert_fingerprint TEXT NOT NULL, cert_serial TEXT NOT NULL,
  serial TEXT, model TEXT, firmware_version TEXT, enrolled_at TEXT NOT NULL,
  audit_seq INTEGER NOT NULL DEFAULT 0, audit_hash TEXT NOT NULL,
  last_heartbeat TEXT, last_heartbeat_at TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS terminals_by_cert ON terminals(cert_fingerprint);
CREATE TABLE IF NOT EXISTS catalogs (
  id INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE, body TEXT NOT NULL, published_at TEXT NOT NULL);
-- Idempotency keys, blobs and feedback ids are scoped per terminal (issue
-- 16): one terminal's key never collides with, or reveals, another's.
CREATE TABLE IF NOT EXISTS applications (
  client_id TEXT NOT NULL, terminal_id TEXT NOT NULL, receipt_no TEXT NOT NULL, item_code TEXT NOT NULL,
  channel TEXT NOT NULL, content_hash TEXT NOT NULL, body TEXT NOT NULL, response TEXT NOT NULL,
  case_no TEXT NOT NULL UNIQUE, status TEXT NOT NULL, received_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  deadline TEXT NOT NULL, token TEXT NOT NULL, PRIMARY KEY (terminal_id, client_id));
CREATE INDEX IF NOT EXISTS applications_by_receipt ON applications(receipt_no);
CREATE TABLE IF NOT EXISTS history (
  case_no TEXT NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL, note TEXT NOT NULL,
  PRIMARY KEY (case_no, seq));
-- Complete blobs, stored once by content; who may see one is blob_owners
-- (a terminal that sent all of its bytes). Partial uploads are per terminal.
CREATE TABLE IF NOT EXISTS blobs (sha256 TEXT PRIMARY KEY, length INTEGER NOT NULL, completed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blob_owners (
  terminal_id TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (terminal_id, sha256));
CREATE TABLE IF NOT EXISTS blob_uploads (
  terminal_id TEXT NOT NULL, sha256 TEXT NOT NULL, length INTEGER NOT NULL, PRIMARY KEY (terminal_id, sha256));
CREATE TABLE IF NOT EXISTS feedback (
  kind TEXT NOT NULL, id TEXT NOT NULL, terminal_id TEXT NOT NULL, content_hash TEXT NOT NULL,
  body TEXT NOT NULL, response TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (kind, terminal_id, id));
CREATE TABLE IF NOT EXISTS audit_entries (
  terminal_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (terminal_id, seq));
-- Audit chain breaks (central_audit.cpp): while one is open the terminal's
-- chain does not advance; clearing it keeps what was held from the break on
-- in audit_superseded.
CREATE TABLE IF NOT EXISTS audit_breaks (
  id INTEGER PRIMARY KEY, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL, problem TEXT NOT NULL,
  detected_at TEXT NOT NULL, cleared_at TEXT, cleared_by TEXT, note TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS audit_breaks_open ON audit_breaks(terminal_id) WHERE cleared_at IS NULL;
CREATE TABLE IF NOT EXISTS audit_superseded (
  break_id INTEGER NOT NULL, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, type TEXT NOT NULL,
  data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (break_id, seq));
CREATE TABLE IF NOT EXISTS commands (
  id INTEGER PRIMARY KEY, terminal_id TEXT NOT NULL, type TEXT NOT NULL, created_at TEXT NOT NULL,
  delivered_at TEXT);
-- System update offers (central_updates.cpp): the newest not withdrawn is
-- the one offered; its bundle is updates/<sha256>.raucb.
CREATE TABLE IF NOT EXISTS update_offers (
  id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, version TEXT NOT NULL, length INTEGER NOT NULL,
  percent INTEGER NOT NULL, offered_at TEXT NOT NULL, withdrawn_at TEXT);
)sql";

}  // namespace

Result<std::unique_ptr<CentralDb>> CentralDb::open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    Error e = store::sqlite_error(raw, rc, "open " + path);
    sqlite3_close(raw);
    return e;
  }
  std::unique_ptr<CentralDb> db(new CentralDb(raw));
  sqlite3_busy_timeout(raw, 10000);
  BIANMIN_TRY(db->exec("PRAGMA journal_mode = WAL"));
  // Every 201 promises the terminal that the record survives a power cut:
  // NORMAL in WAL mode may lose the last commits, FULL syncs each one.
  BIANMIN_TRY(db->exec("PRAGMA synchronous = FULL"));
  BIANMIN_TRY(migrate_schema(*db, kSchema));
  return db;
}

CentralDb::~CentralDb() { sqlite3_close(db_); }

Status CentralDb::exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) return store::sqlite_error(db_, rc, "exec");
  return {};
}

Result<store::Statement> CentralDb::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return store::sqlite_error(db_, rc, "prepare");
  return store::Statement(db_, stmt);
}

Result<int64_t> CentralDb::bump(const std::string& name, int64_t delta) {
  BIANMIN_ASSIGN(store::Statement st, prepare(
      "INSERT INTO counters(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value "
      "RETURNING value"));
  st.bind(1, name).bind(2, delta);
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return make_error("db_error", "counter did not return a value");
  const int64_t v = st.integer(0);
  BIANMIN_TRY(st.run());
  return v;
}

Result<int64_t> CentralDb::counter(const std::string& name) {
  BIANMIN_ASSIGN(store::Statement st, prepare("SELECT value FROM counters WHERE name = ?"));
  st.bind(1, name);
  BIANMIN_ASSIGN(bool row, st.step());
  return row ? st.integer(0) : int64_t{0};
}

Result<std::string> CentralDb::meta(const std::string& key) {
  BIANMIN_ASSIGN(store::Statement st, prepare("SELECT value FROM meta WHERE key = ?"));
  st.bind(1, key);
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return make_error("not_found", "no " + key);
  return st.text(0);
}

Status CentralDb::set_meta(const std::string& key, const std::string& value) {
  BIANMIN_ASSIGN(store::Statement st, prepare(
      "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  st.bind(1, key).bind(2, value);
  return st.run();
}

}  // namespace bianmin::sync::central
