// The terminal's durable local store: the SQLite database, the blob files
// and the device key, opened together. The kiosk and the sync daemon each
// open their own Store on the same data directory.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "crypto/sealer.h"
#include "store/blob_store.h"
#include "store/database.h"

namespace bianmin::config { class Config; }

namespace bianmin::store {

struct StoreOptions {
  std::string data_dir;
  std::string key_file;
  crypto::Suite suite = crypto::Suite::standard;
  int busy_timeout_ms = 5000;
  int64_t min_free_mb = 64;

  static StoreOptions from(const config::Config& cfg);
};

struct MissingBlob {
  std::string sha256;
  std::string client_id;
};

struct RecoveryReport {
  int temp_files_removed = 0;
  int orphan_blobs_removed = 0;     // files no committed row references
  std::vector<MissingBlob> missing;  // rows whose blob file is gone
  bool skipped = false;              // another process was writing; try later
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> open(const StoreOptions& opts);

  Database& db() { return db_; }
  BlobStore& blobs() { return blobs_; }
  const crypto::Sealer& sealer() const { return sealer_; }
  const StoreOptions& options() const { return opts_; }

  // Removes temp leftovers and unreferenced blob files of interrupted
  // writes, and reports referenced blobs that are missing.
  Result<RecoveryReport> recover();
  // "disk_full" when less than options().min_free_mb is free.
  Status check_free_space() const;

  Result<std::optional<std::string>> setting(const std::string& key);
  Status set_setting(const std::string& key, const std::string& value);

 private:
  Store(StoreOptions o, Database db, crypto::Sealer s)
      : opts_(std::move(o)), db_(std::move(db)), sealer_(std::move(s)),
        blobs_(opts_.data_dir + "/blobs", &sealer_) {}
  StoreOptions opts_;
  Database db_;
  crypto::Sealer sealer_;
  BlobStore blobs_;
};

}  // namespace bianmin::store
