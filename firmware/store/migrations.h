// Versioned schema migrations, tracked in PRAGMA user_version.
//
// Each migration runs in its own transaction together with the bump of
// user_version, so a crash leaves the database at one version or the next,
// never between. Migrations are append-only: never edit a shipped one.
#pragma once

#include <cstdint>

#include "base/result.h"

namespace bianmin::store {

class Database;

int64_t latest_schema_version();
Status migrate(Database& db);

}  // namespace bianmin::store
