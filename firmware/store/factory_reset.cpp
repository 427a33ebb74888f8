#include "store/factory_reset.h"

#include <unistd.h>

#include "audit/anchor.h"
#include "audit/audit_log.h"
#include "base/bytes.h"
#include "base/log.h"
#include "crypto/device_key.h"
#include "store/store.h"

namespace bianmin::store {
namespace {

Result<int64_t> count(Database& db, const char* sql) {
  BIANMIN_ASSIGN(Statement st, db.prepare(sql));
  BIANMIN_ASSIGN(bool row, st.step());
  return row ? st.integer(0) : int64_t{0};
}

}  // namespace

Result<ResetReport> factory_reset(Store& store, bool force) {
  Database& db = store.db();
  ResetReport report;
  BIANMIN_ASSIGN(report.applications, count(db, "SELECT COUNT(*) FROM applications"));
  BIANMIN_ASSIGN(report.undelivered, count(db, "SELECT COUNT(*) FROM applications WHERE state IN ('queued', 'quarantined')"));
  BIANMIN_ASSIGN(report.blobs, count(db, "SELECT COUNT(*) FROM blobs WHERE purged_at IS NULL"));
  if (report.undelivered > 0 && !force)
    return make_error("undelivered", std::to_string(report.undelivered) +
                                         " application(s) have not reached the central yet; deliver them first, "
                                         "or reset with --force and ask those residents to apply again");
  BIANMIN_ASSIGN(auto files, store.blobs().list());
  BIANMIN_TRY(db.transaction([&]() -> Status {
    for (const char* sql : {"DELETE FROM application_materials", "DELETE FROM applications", "DELETE FROM blobs",
                            "DELETE FROM ratings", "DELETE FROM complaints", "DELETE FROM catalog_snapshots",
                            "DELETE FROM settings WHERE key <> 'crypto_suite'"})
      BIANMIN_TRY(db.exec(sql));
    audit::AuditLog audit_log(db, store.sealer());
    return audit_log
        .append(audit::kFactoryReset, {{"applications", report.applications},
                                       {"undelivered_discarded", report.undelivered},
                                       {"blobs", report.blobs}})
        .ok()
        ? Status{}
        : make_error("db_error", "could not record the reset in the audit chain");
  }));
  // Rows first, files second: a crash in between leaves orphan files that
  // start-up recovery removes.
  for (const auto& sha : files) BIANMIN_TRY(store.blobs().remove(sha));
  // Sealed data is gone; a new device key replaces the old one.
  if (::unlink(store.options().key_file.c_str()) != 0 && errno != ENOENT)
    log::warn("store", "could not remove the device key", {{"path", store.options().key_file}});
  // The audit chain stays, and its head anchor is keyed by the device key:
  // it moves to the new key now, or no key would verify it at the next start.
  BIANMIN_ASSIGN(std::string fresh_key, crypto::load_or_create_device_key(store.options().key_file));
  auto fresh = crypto::Sealer::create(store.sealer().suite(), fresh_key);
  secure_wipe(fresh_key);
  if (!fresh) return fresh.take_error();
  BIANMIN_TRY(db.transaction([&] { return audit::rekey_anchor(db, store.sealer(), *fresh); }));
  BIANMIN_TRY(db.exec("VACUUM"));
  log::warn("store", "factory reset done", {{"applications", report.applications}, {"blobs", report.blobs}});
  return report;
}

}  // namespace bianmin::store
