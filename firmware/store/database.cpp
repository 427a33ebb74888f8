#include "store/database.h"

#include "base/fs.h"
#include "base/log.h"
#include "store/migrations.h"

namespace bianmin::store {

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string code = primary == SQLITE_FULL                                  ? "disk_full"
                     : (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)  ? "busy"
                     : (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) ? "corrupt"
                     : primary == SQLITE_CONSTRAINT                          ? "constraint"
                     : primary == SQLITE_READONLY                            ? "read_only"
                     : primary == SQLITE_CANTOPEN                            ? "cannot_open"
                                                                             : "db_error";
  std::string msg = std::string(what) + ": " + detail;
  if (code == "disk_full") msg += " (the storage is full; nothing already stored was lost)";
  return make_error(code, msg);
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}
Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement& Statement::bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind_blob(int i, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}
Statement& Statement::bind_opt(int i, const std::optional<std::string>& v) {
  return v ? bind(i, *v) : bind_null(i);
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, rc, "step");
}

Status Statement::run() {
  for (;;) {
    BIANMIN_ASSIGN(bool row, step());
    if (!row) return {};
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}
std::optional<std::string> Statement::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}
std::string Statement::blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}
int64_t Statement::integer(int col) const { return sqlite3_column_int64(stmt_, col); }
bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

Database& Database::operator=(Database&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    o.db_ = nullptr;
  }
  return *this;
}

Result<Database> Database::open(const std::string& path, Options opts) {
  const bool existed = fs::exists(path);  // a file made just now is tightened without a warning
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(raw, rc, "open " + path);
    sqlite3_close_v2(raw);
    return e;
  }
  // SQLite creates files 0644 (less the umask) and gives its WAL and shm
  // files the database's mode. Tightened by path once open, never by
  // opening the file ourselves: closing any descriptor of a database drops
  // every POSIX lock this process holds on it (other connections' too).
  // Until then the 0700 data directory keeps others out.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    auto tightened = fs::restrict_mode(path + suffix, 0600);
    if (!tightened) {
      sqlite3_close_v2(raw);
      return tightened.take_error();
    }
    if (*tightened && existed) log::warn("store", "database file was readable by others; restricted to 0600", {{"path", path + suffix}});
  }
  Database db(raw);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, opts.busy_timeout_ms);

  // Look before touching anything: a newer schema must stay as it is.
  BIANMIN_ASSIGN(int64_t version, db.user_version());
  if (version > latest_schema_version()) {
    // Newer firmware (the other slot, before a rollback) migrated it: usable
    // as it is when all it added is what this firmware can ignore.
    auto readers_from = oldest_compatible_reader(db);
    if (!readers_from || *readers_from > latest_schema_version())
      return make_error("db_too_new",
                        "database " + path + " has schema version " + std::to_string(version) +
                            ", newer than this firmware knows (" + std::to_string(latest_schema_version()) +
                            ") and not readable by it; it was left untouched. Install the newer firmware.");
    log::info("store", "newer schema, compatible with this firmware",
              {{"version", version}, {"readers_from", *readers_from}});
  }

  BIANMIN_TRY(db.exec("PRAGMA journal_mode=WAL"));
  // FULL: a commit is on stable storage (WAL fsynced) before it returns, so
  // an application acknowledged to a resident survives a power cut.
  BIANMIN_TRY(db.exec("PRAGMA synchronous=FULL"));
  BIANMIN_TRY(db.exec("PRAGMA foreign_keys=ON"));
  BIANMIN_TRY(migrate(db, opts.after_migration));
  return db;
}

Status Database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "exec");
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
  return Statement(db_, stmt);
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Result<int64_t> Database::user_version() {
  BIANMIN_ASSIGN(Statement st, prepare("PRAGMA user_version"));
  BIANMIN_ASSIGN(bool row, st.step());
  return row ? st.integer(0) : int64_t{0};
}

Result<std::string> Database::integrity_check() {
  BIANMIN_ASSIGN(Statement st, prepare("PRAGMA integrity_check"));
  std::string out;
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    if (!out.empty()) out += "\n";
    out += st.text(0);
  }
  return out;
}

}  // namespace bianmin::store
