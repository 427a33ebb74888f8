#include "catalog/catalog_store.h"

#include "base/log.h"
#include "base/time.h"
#include "store/database.h"

namespace bianmin::catalog {

Result<ImportReport> CatalogStore::import(const std::string& text, const std::string& source,
                                          const std::optional<std::string>& etag) {
  auto parsed = parse_catalog(text);
  if (!parsed) {
    log::error("catalog", "catalogue rejected; the previous one stays active",
               {{"source", source}, {"error", parsed.error().message}});
    return parsed.take_error();
  }
  for (const auto& s : parsed->skipped)
    log::warn("catalog", "item skipped", {{"source", source}, {"reason", s.reason}});
  for (const auto& s : parsed->skipped_funds)
    log::warn("catalog", "special fund skipped", {{"source", source}, {"reason", s}});

  ImportReport report;
  report.version = parsed->catalog.version;
  report.items = parsed->catalog.items.size();
  report.skipped = parsed->skipped;
  auto st = db_.transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement cur, db_.prepare("SELECT id, body FROM catalog_snapshots WHERE active = 1"));
    BIANMIN_ASSIGN(bool row, cur.step());
    if (row && cur.text(1) == text) {
      report.unchanged = true;
      report.snapshot_id = cur.integer(0);
      return {};
    }
    BIANMIN_TRY(db_.exec("UPDATE catalog_snapshots SET active = 0 WHERE active = 1"));
    BIANMIN_ASSIGN(store::Statement ins, db_.prepare(
        "INSERT INTO catalog_snapshots(version, region_code, etag, source, imported_at, item_count, "
        "skipped_count, body, active) VALUES(?, ?, ?, ?, ?, ?, ?, ?, 1)"));
    ins.bind(1, parsed->catalog.version).bind(2, parsed->catalog.region_code).bind_opt(3, etag)
        .bind(4, source).bind(5, time::now_rfc3339()).bind(6, static_cast<int64_t>(report.items))
        .bind(7, static_cast<int64_t>(report.skipped.size())).bind(8, text);
    BIANMIN_TRY(ins.run());
    report.snapshot_id = db_.last_insert_rowid();
    BIANMIN_ASSIGN(store::Statement prune, db_.prepare(
        "DELETE FROM catalog_snapshots WHERE id NOT IN "
        "(SELECT id FROM catalog_snapshots ORDER BY id DESC LIMIT ?)"));
    prune.bind(1, kKeepSnapshots);
    return prune.run();
  });
  if (!st) return st.take_error();
  log::info("catalog", report.unchanged ? "catalogue unchanged" : "catalogue activated",
            {{"version", report.version}, {"items", report.items}, {"skipped", report.skipped.size()},
             {"source", source}});
  return report;
}

Result<ActiveCatalog> CatalogStore::load_active() {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare(
      "SELECT id, etag, body, active FROM catalog_snapshots ORDER BY active DESC, id DESC"));
  bool first = true;
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    auto parsed = parse_catalog(st.text(2));
    if (parsed) {
      if (!first)
        log::error("catalog", "active catalogue is damaged; showing an older snapshot",
                   {{"snapshot", st.integer(0)}, {"version", parsed->catalog.version}});
      return ActiveCatalog{st.integer(0), st.opt_text(1), std::move(parsed->catalog)};
    }
    log::error("catalog", "stored catalogue does not parse", {{"snapshot", st.integer(0)}, {"error", parsed.error().message}});
    first = false;
  }
  return make_error("no_catalog", "no catalogue is installed; import one with `bianmin catalog import FILE`");
}

Result<std::vector<SnapshotInfo>> CatalogStore::list() {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare(
      "SELECT id, version, region_code, source, imported_at, etag, item_count, skipped_count, active "
      "FROM catalog_snapshots ORDER BY id DESC"));
  std::vector<SnapshotInfo> out;
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back({st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4), st.opt_text(5),
                   st.integer(6), st.integer(7), st.integer(8) != 0});
  }
  return out;
}

Result<std::optional<std::pair<int64_t, std::string>>> CatalogStore::active_version() {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare("SELECT id, version FROM catalog_snapshots WHERE active = 1"));
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return std::optional<std::pair<int64_t, std::string>>();
  return std::optional<std::pair<int64_t, std::string>>(std::make_pair(st.integer(0), st.text(1)));
}

}  // namespace bianmin::catalog
