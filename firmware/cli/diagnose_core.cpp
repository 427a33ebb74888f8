#include "cli/diagnose_core.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include "audit/integrity.h"
#include "base/fs.h"
#include "base/time.h"
#include "catalog/catalog_store.h"
#include "outbox/delivery.h"
#include "update/system_report.h"

namespace bianmin::cli {
namespace {

using namespace diagnose;
// The report's verdict makers, not the command line's fail(Error).
using diagnose::fail;
using diagnose::ok;
using diagnose::warn;
using namespace std::chrono_literals;

// Catalogues older than this are probably not what the province publishes
// now: residents would read stale guides.
constexpr auto kCatalogueStale = std::chrono::hours(24 * 14);
// A WAL that big means checkpoints are not happening (a reader stuck open).
constexpr int64_t kWalWarnBytes = 64ll << 20;
// Applications waiting longer than this while the network is up need a look.
constexpr auto kPendingTooLong = std::chrono::hours(1);

std::string age_text(std::chrono::seconds s) {
  const auto n = s.count();
  if (n < 120) return std::to_string(n) + " s";
  if (n < 7200) return std::to_string(n / 60) + " min";
  if (n < 2 * 86400) return std::to_string(n / 3600) + " h";
  return std::to_string(n / 86400) + " days";
}

std::optional<std::chrono::seconds> age_of(const std::optional<std::string>& rfc3339) {
  if (!rfc3339) return std::nullopt;
  auto t = time::parse_rfc3339(*rfc3339);
  if (!t) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(time::Clock::now() - *t);
}

std::string mib(int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// Checks that need the store report an unusable store the same way.
Finding store_unusable(const Error& e) {
  return fail("the store cannot be opened: " + e.message,
              "run `bianmin store check`; if the disk is full free space on the data partition; "
              "never delete bianmin.db by hand (residents' applications are in it)");
}

Finding check_configuration(Runner& r) {
  const std::string path = r.config_path();
  auto cfg = r.config();
  if (!cfg)
    return fail(path + ": " + cfg.error().message,
                "correct the line named above in " + path + " (`bianmin config defaults` lists every setting)");
  int changed = 0;
  for (const auto& [name, described] : (*cfg)->describe())
    if (described.find("(default)") == std::string::npos) ++changed;
  std::string figure = (fs::exists(path) ? path : path + " absent, defaults") + "; " + std::to_string(changed) +
                       (changed == 1 ? " setting differs" : " settings differ") + " from the defaults";
  const auto& unknown = r.config_warnings();
  if (!unknown.empty()) {
    std::string list;
    for (const auto& w : unknown) list += (list.empty() ? "" : "; ") + w;
    return warn(figure + "; " + std::to_string(unknown.size()) + " unknown", "correct or remove in " + path + ": " + list);
  }
  return ok(figure);
}

Finding check_integrity(Runner& r) {
  auto s = r.store();
  if (!s) return store_unusable(s.error());
  auto integrity = (*s)->db().integrity_check();
  if (!integrity) return store_unusable(integrity.error());
  const std::string wal_path = (*s)->options().data_dir + "/bianmin.db-wal";
  struct stat st {};
  const int64_t wal = ::stat(wal_path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
  std::string figure = "integrity " + *integrity + ", WAL " + mib(wal);
  if (*integrity != "ok")
    return fail(figure, "the database is damaged: take the terminal out of service, keep the data partition "
                        "as it is and call the maintainers (`bianmin store check --json` names what is wrong)");
  if (wal > kWalWarnBytes)
    return warn(figure, "the write-ahead log is not being checkpointed: restart the kiosk and the sync daemon");
  return ok(figure);
}

Finding check_free_space(Runner& r) {
  auto cfg = r.config();
  if (!cfg) return store_unusable(cfg.error());
  struct statvfs v {};
  const std::string dir = (*cfg)->data_dir();
  if (::statvfs(dir.c_str(), &v) != 0) return fail(dir + " cannot be read", "check that the data partition is mounted");
  const int64_t free_bytes = static_cast<int64_t>(v.f_bavail) * static_cast<int64_t>(v.f_frsize);
  const int64_t min = (*cfg)->integer("store.min_free_mb") << 20;
  std::string figure = mib(free_bytes) + " free on " + dir + " (submission needs " + mib(min) + ")";
  if (free_bytes < min)
    return fail(figure, "the terminal refuses new applications: delivered applications older than the retention "
                        "are purged by the sync daemon; if it cannot reach the central, reconnect it first");
  if (free_bytes < 4 * min) return warn(figure, "space is running low: check that the sync daemon delivers");
  return ok(figure);
}

Finding check_key_file(Runner& r) {
  auto cfg = r.config();
  if (!cfg) return store_unusable(cfg.error());
  const std::string path = (*cfg)->key_file();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return fail(path + " is missing",
                "without the device key the sealed applications cannot be read; restore it from the terminal's "
                "own backup if there is one, never from another terminal");
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  std::string figure = path + " mode " + mode;
  if ((st.st_mode & 077) != 0) return fail(figure, "others can read the device key: chmod 600 " + path);
  return ok(figure);
}

Finding check_catalogue(Runner& r) {
  auto s = r.store();
  if (!s) return store_unusable(s.error());
  catalog::CatalogStore cs((*s)->db());
  auto snapshots = cs.list();
  if (!snapshots) return store_unusable(snapshots.error());
  const catalog::SnapshotInfo* active = nullptr;
  for (const auto& snap : *snapshots)
    if (snap.active) active = &snap;
  if (!active)
    return fail("no catalogue", "enrol the terminal (the sync daemon then fetches the lists) or import one with "
                                "`bianmin catalog import FILE`");
  auto loaded = cs.load_active();
  if (!loaded)
    return fail("version " + active->version + " does not load: " + loaded.error().message,
                "the stored catalogue is damaged: re-request it from the central (`bianmin diagnose --fix`)");
  const std::string items = std::to_string(loaded->catalog.items.size()) + " items";
  // load_active fell back past the damaged active snapshot: name it, and the
  // older one residents see meanwhile, never the one's version with the
  // other's items.
  if (loaded->snapshot_id != active->id)
    return warn("version " + active->version + " is damaged; the terminal shows the previous version " +
                    loaded->catalog.version + ", " + items,
                "re-request the catalogue from the central (`bianmin diagnose --fix`)");
  std::string figure = "version " + active->version + ", " + items;
  if (auto age = age_of(active->imported_at)) {
    figure += ", imported " + age_text(*age) + " ago";
    if (*age > kCatalogueStale)
      return warn(figure, "the lists have not been refreshed for two weeks: check that the sync daemon reaches the central");
  }
  return ok(figure);
}

Finding check_delivery(Runner& r) {
  auto s = r.store();
  if (!s) return store_unusable(s.error());
  auto sum = outbox::Delivery(**s).summary();
  if (!sum) return store_unusable(sum.error());
  std::string figure = std::to_string(sum->pending) + " pending";
  auto oldest = age_of(sum->oldest_pending_at);
  if (oldest) figure += ", oldest " + age_text(*oldest);
  figure += ", " + std::to_string(sum->quarantined) + " quarantined";
  figure += ", last delivered " + (sum->last_delivered_at ? *sum->last_delivered_at : std::string("never"));
  if (sum->quarantined > 0)
    return warn(figure, "the central refused these for good: look at each (`bianmin queue list --state quarantined`) "
                        "and retry or discard it with a reason in service mode");
  if (oldest && *oldest > kPendingTooLong)
    return warn(figure, "applications wait for the network: check the network check above and that "
                        "bianmin-syncd runs");
  return ok(figure);
}

Finding check_audit(Runner& r) {
  auto s = r.store();
  if (!s) return store_unusable(s.error());
  auto report = audit::check_integrity((*s)->db(), (*s)->sealer());
  if (!report) return store_unusable(report.error());
  if (!report->ok()) {
    const auto& first = report->problems.front();
    return fail("chain broken at seq " + std::to_string(first.seq) + ": " + first.message,
                "take the terminal out of service and report it to the supervising office; do not reset it "
                "(`bianmin audit verify` names every problem)");
  }
  std::string figure = std::to_string(report->entries) + " entries verified, the central holds " +
                       std::to_string(report->anchor.central_seq) + " of " + std::to_string(report->head.seq);
  return ok(figure);
}

// The root slots and the last update (update/system_report.h).
Finding check_system(Runner& r) {
  auto cfg = r.config();
  if (!cfg) return fail("configuration unusable: " + cfg.error().message, "see the configuration check");
  return update::system_finding(update::system_report((*cfg)->data_dir()));
}

Check make(std::string id, std::string title, Stage stage, std::chrono::milliseconds timeout,
           Finding (*fn)(Runner&), Runner& r) {
  return Check{std::move(id), std::move(title), stage, timeout, [fn, &r] { return fn(r); }, nullptr};
}

}  // namespace

void add_core_checks(Checklist& list, Runner& r) {
  for (auto& c : {
      make("config", "Configuration", Stage::configuration, 2s, check_configuration, r),
      make("system", "System slots and updates", Stage::system, 3s, check_system, r),
      make("store.integrity", "Store integrity", Stage::store, 8s, check_integrity, r),
      make("store.free_space", "Free space", Stage::store, 2s, check_free_space, r),
      make("store.key_file", "Device key", Stage::store, 2s, check_key_file, r),
      make("catalogue", "Catalogue", Stage::catalogue, 5s, check_catalogue, r),
      make("delivery", "Delivery", Stage::delivery, 3s, check_delivery, r),
      make("audit", "Audit chain", Stage::audit, 5s, check_audit, r),
  })
    list.add(c);
}

}  // namespace bianmin::cli
