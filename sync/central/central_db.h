// The reference central's own SQLite database (WAL): enrolment codes,
// terminals, catalogues, applications with their idempotency record and
// status history, blobs, ratings and complaints, audit chains, heartbeats,
// queued heartbeat commands and counters. One connection, serialized by a
// mutex: the central is a development and test server, not a production one.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "store/database.h"

namespace bianmin::sync::central {

class CentralDb {
 public:
  static Result<std::unique_ptr<CentralDb>> open(const std::string& path);
  ~CentralDb();
  CentralDb(const CentralDb&) = delete;
  CentralDb& operator=(const CentralDb&) = delete;

  // Hold while using the connection.
  std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mu_); }
  Status exec(const std::string& sql);
  Result<store::Statement> prepare(const std::string& sql);
  // BEGIN IMMEDIATE … COMMIT around `fn` (caller holds lock()).
  template <class Fn>
  auto transaction(Fn&& fn) -> decltype(fn()) {
    BIANMIN_TRY(exec("BEGIN IMMEDIATE"));
    auto result = fn();
    if (!result) {
      (void)exec("ROLLBACK");
      return result;
    }
    if (Status c = exec("COMMIT"); !c) {
      (void)exec("ROLLBACK");
      return c.take_error();
    }
    return result;
  }
  // Adds `delta` to a counter and returns the new value (caller holds lock()).
  Result<int64_t> bump(const std::string& name, int64_t delta = 1);
  Result<int64_t> counter(const std::string& name);
  Result<std::string> meta(const std::string& key);
  Status set_meta(const std::string& key, const std::string& value);

 private:
  explicit CentralDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::mutex mu_;
};

// Creates the schema, or brings an older central.db to it (central_migrate.cpp).
Status migrate_schema(CentralDb& db, const char* schema);

}  // namespace bianmin::sync::central
