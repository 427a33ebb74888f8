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
Status migrate(Database& db, const AfterMigration& after = {});

}  // namespace bianmin::store
