// Versioned schema migrations, tracked in PRAGMA user_version.
//
// Each migration runs in its own transaction together with the bump of
// user_version, so a crash leaves the database at one version or the next,
// never between. Migrations are append-only: never edit a shipped one.
#pragma once

#include <cstdint>
#include <functional>

#include "base/result.h"

namespace bianmin::store {

class Database;

// A step that needs more than SQL (the device key, for instance), run
// inside the transaction of each migration after its SQL, with the version
// just reached.
using AfterMigration = std::function<Status(Database& db, int64_t version)>;

int64_t latest_schema_version();
// A database of a newer schema (written by the other root slot's newer
// firmware, before a rollback): the oldest schema version that can still
// use it (schema_compat, migration 5). This firmware opens it, unmigrated,
// when that is not above latest_schema_version().
Result<int64_t> oldest_compatible_reader(Database& db);
Status migrate(Database& db, const AfterMigration& after = {});

}  // namespace bianmin::store
