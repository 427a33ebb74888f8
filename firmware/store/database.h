// A thin RAII layer over SQLite: prepared statements, IMMEDIATE
// transactions, and SQLite result codes turned into Error values
// (SQLITE_FULL → "disk_full", SQLITE_BUSY → "busy", SQLITE_CORRUPT →
// "corrupt", constraint violations → "constraint").
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/migrations.h"

namespace bianmin::store {

Error sqlite_error(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds by 1-based index. Text and blobs are copied (SQLITE_TRANSIENT).
  Statement& bind(int i, std::string_view text);
  Statement& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
  Statement& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Statement& bind_blob(int i, std::string_view bytes);
  Statement& bind_null(int i);
  Statement& bind_opt(int i, const std::optional<std::string>& v);

  // true: a row is ready; false: done. Errors come as values.
  Result<bool> step();
  // Runs to completion (for INSERT/UPDATE/DELETE).
  Status run();
  void reset();

  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  std::string blob(int col) const;
  int64_t integer(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  struct Options {
    int busy_timeout_ms = 5000;
    AfterMigration after_migration;  // see store/migrations.h
  };

  // Opens (creating if absent) in WAL mode with synchronous=FULL, and applies
  // migrations. A database whose schema is newer than this firmware knows is
  // refused ("db_too_new") without being modified.
  static Result<Database> open(const std::string& path, Options opts);
  static Result<Database> open(const std::string& path) { return open(path, Options{}); }

  Database() = default;
  ~Database();
  Database(Database&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Database& operator=(Database&& o) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* handle() const { return db_; }

  // Runs `fn` inside BEGIN IMMEDIATE … COMMIT; rolls back when `fn` returns
  // an error. Keep `fn` short: the kiosk and syncd share the file.
  template <class Fn>
  auto transaction(Fn&& fn) -> decltype(fn()) {
    BIANMIN_TRY(exec("BEGIN IMMEDIATE"));
    auto result = fn();
    if (!result) {
      (void)exec("ROLLBACK");
      return result;
    }
    Status commit = exec("COMMIT");
    if (!commit) {
      (void)exec("ROLLBACK");
      return commit.take_error();
    }
    return result;
  }

  Result<int64_t> user_version();
  // "ok" or the problems SQLite found.
  Result<std::string> integrity_check();

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace bianmin::store
