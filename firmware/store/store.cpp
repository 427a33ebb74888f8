#include "store/store.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <set>

#include "audit/anchor.h"
#include "base/bytes.h"
#include "base/fs.h"
#include "base/log.h"
#include "base/time.h"
#include "config/config.h"
#include "crypto/device_key.h"

namespace bianmin::store {

StoreOptions StoreOptions::from(const config::Config& cfg) {
  StoreOptions o;
  o.data_dir = cfg.data_dir();
  o.key_file = cfg.key_file();
  o.suite = crypto::parse_suite(cfg.str("terminal.crypto_suite")).value_or(crypto::Suite::standard);
  o.busy_timeout_ms = static_cast<int>(cfg.integer("store.busy_timeout_ms"));
  o.min_free_mb = cfg.integer("store.min_free_mb");
  return o;
}

Result<std::unique_ptr<Store>> Store::open(const StoreOptions& opts) {
  BIANMIN_TRY(fs::make_dirs(opts.data_dir, 0700));
  // An existing directory (made by hand, by an installer, by an older
  // firmware) may be open to others: the store, blobs and key are the
  // owner's alone.
  BIANMIN_ASSIGN(bool widened, fs::restrict_mode(opts.data_dir, 0700));
  if (widened) log::warn("store", "data directory was open to others; restricted to 0700", {{"path", opts.data_dir}});
  BIANMIN_ASSIGN(std::string key, crypto::load_or_create_device_key(opts.key_file));
  BIANMIN_ASSIGN(crypto::Sealer sealer, crypto::Sealer::create(opts.suite, key));
  secure_wipe(key);
  // Migration 3 anchors the audit chain as it stands, with the device key.
  auto anchor_on_upgrade = [&sealer](Database& d, int64_t version) -> Status {
    return version == 3 ? audit::anchor_existing_chain(d, sealer) : Status{};
  };
  BIANMIN_ASSIGN(Database db, Database::open(opts.data_dir + "/bianmin.db",
                                             Database::Options{opts.busy_timeout_ms, anchor_on_upgrade}));
  std::unique_ptr<Store> store(new Store(opts, std::move(db), std::move(sealer)));
  BIANMIN_TRY(store->blobs_.init());

  // The suite is fixed at first start: data sealed under one suite cannot be
  // read under the other, and the audit chain's hash must not change.
  BIANMIN_ASSIGN(auto stored_suite, store->setting("crypto_suite"));
  const std::string want = crypto::suite_name(opts.suite);
  if (!stored_suite) {
    BIANMIN_TRY(store->set_setting("crypto_suite", want));
  } else if (*stored_suite != want) {
    return make_error("suite_mismatch", "this terminal's data uses the \"" + *stored_suite +
                                            "\" crypto suite; the configuration asks for \"" + want +
                                            "\". Set terminal.crypto_suite = \"" + *stored_suite + "\".");
  }
  return store;
}

Result<std::optional<std::string>> Store::setting(const std::string& key) {
  BIANMIN_ASSIGN(Statement st, db_.prepare("SELECT value FROM settings WHERE key = ?"));
  st.bind(1, key);
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>(st.text(0));
}

Status Store::set_setting(const std::string& key, const std::string& value) {
  BIANMIN_ASSIGN(Statement st, db_.prepare(
      "INSERT INTO settings(key, value, updated_at) VALUES(?, ?, ?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"));
  st.bind(1, key).bind(2, value).bind(3, time::now_rfc3339());
  return st.run();
}

Status Store::check_free_space() const {
  struct statvfs vfs {};
  if (::statvfs(opts_.data_dir.c_str(), &vfs) != 0) return fs::errno_error("statvfs", opts_.data_dir);
  const auto free_mb = static_cast<int64_t>((static_cast<unsigned long long>(vfs.f_bavail) * vfs.f_frsize) >> 20);
  if (free_mb < opts_.min_free_mb)
    return make_error("disk_full", "only " + std::to_string(free_mb) + " MB free in " + opts_.data_dir +
                                       " (need " + std::to_string(opts_.min_free_mb) +
                                       "); nothing already stored was lost");
  return {};
}

Result<RecoveryReport> Store::recover() {
  RecoveryReport report;
  auto lock = blobs_.try_lock_exclusive();
  if (!lock) {
    if (lock.error().code != "busy") return lock.take_error();
    report.skipped = true;
  }
  // Referenced blobs, from committed rows only.
  std::set<std::string> referenced;
  {
    BIANMIN_ASSIGN(Statement st, db_.prepare("SELECT sha256 FROM blobs WHERE purged_at IS NULL"));
    for (;;) {
      BIANMIN_ASSIGN(bool row, st.step());
      if (!row) break;
      referenced.insert(st.text(0));
    }
  }
  if (!report.skipped) {
    BIANMIN_ASSIGN(auto temps, fs::list_files(blobs_.tmp_dir()));
    for (const auto& t : temps) {
      const std::string p = blobs_.tmp_dir() + "/" + t;
      if (::unlink(p.c_str()) == 0) ++report.temp_files_removed;
    }
    // Key-file and other temp files written beside their target.
    BIANMIN_ASSIGN(auto top, fs::list_files(opts_.data_dir));
    for (const auto& t : top) {
      if (t.size() > 4 && t.compare(t.size() - 4, 4, ".tmp") == 0) {
        const std::string p = opts_.data_dir + "/" + t;
        if (::unlink(p.c_str()) == 0) ++report.temp_files_removed;
      }
    }
    BIANMIN_ASSIGN(auto files, blobs_.list());
    for (const auto& sha : files) {
      if (referenced.count(sha)) continue;
      BIANMIN_TRY(blobs_.remove(sha));
      ++report.orphan_blobs_removed;
    }
  }
  BIANMIN_ASSIGN(Statement st, db_.prepare(
      "SELECT b.sha256, COALESCE(m.client_id, '') FROM blobs b "
      "LEFT JOIN application_materials m ON m.sha256 = b.sha256 WHERE b.purged_at IS NULL"));
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    std::string sha = st.text(0);
    if (!blobs_.has(sha)) report.missing.push_back({sha, st.text(1)});
  }
  if (report.temp_files_removed || report.orphan_blobs_removed)
    log::info("store", "recovered interrupted writes",
              {{"temp_removed", report.temp_files_removed}, {"orphans_removed", report.orphan_blobs_removed}});
  for (const auto& m : report.missing)
    log::error("store", "blob referenced by an application is missing",
               {{"sha256", m.sha256}, {"client_id", m.client_id}});
  return report;
}

}  // namespace bianmin::store
