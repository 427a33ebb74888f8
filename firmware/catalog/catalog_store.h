// Catalogue snapshots in the store. A new catalogue is parsed first and
// only then written and activated, in one transaction: a catalogue that
// does not parse leaves the previous one active, and a reader (the kiosk)
// sees either the old or the new one, never a mix.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "catalog/parse.h"

namespace bianmin::store { class Database; }

namespace bianmin::catalog {

struct ImportReport {
  int64_t snapshot_id = 0;
  std::string version;
  std::size_t items = 0;
  std::vector<SkippedItem> skipped;
  bool unchanged = false;  // identical to the active snapshot
};

struct SnapshotInfo {
  int64_t id = 0;
  std::string version, region_code, source, imported_at;
  std::optional<std::string> etag;
  int64_t items = 0, skipped = 0;
  bool active = false;
};

struct ActiveCatalog {
  int64_t snapshot_id = 0;
  std::optional<std::string> etag;
  Catalog catalog;
};

class CatalogStore {
 public:
  explicit CatalogStore(store::Database& db) : db_(db) {}

  Result<ImportReport> import(const std::string& json_text, const std::string& source,
                              const std::optional<std::string>& etag = std::nullopt);
  // The active catalogue. If its stored body no longer parses (a damaged
  // database), falls back to the newest older snapshot that does, and says
  // so in the log. "no_catalog" when there is none.
  Result<ActiveCatalog> load_active();
  Result<std::vector<SnapshotInfo>> list();
  // Snapshot id + version of the active one, cheap (no parse): lets the
  // kiosk notice that syncd installed a new catalogue.
  Result<std::optional<std::pair<int64_t, std::string>>> active_version();

  static constexpr int kKeepSnapshots = 3;

 private:
  store::Database& db_;
};

}  // namespace bianmin::catalog
