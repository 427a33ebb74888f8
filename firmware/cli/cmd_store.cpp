// bianmin store check | store factory-reset
#include <cstdio>

#include "audit/integrity.h"
#include "cli/runner.h"
#include "outbox/application_store.h"
#include "store/factory_reset.h"

namespace bianmin::cli {

void add_store_commands(CLI::App& app, Runner& r) {
  auto* st = app.add_subcommand("store", "The local store");
  st->require_subcommand(1);
  auto* cmd = st->add_subcommand("check", "Integrity check, start-up recovery and counts");
  auto as_json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *as_json, "Print JSON");
  on_run(cmd, r, [&r, as_json]() -> int {
    auto s = r.store();
    if (!s) return fail(s.error());
    auto integrity = (*s)->db().integrity_check();
    if (!integrity) return fail(integrity.error());
    auto report = (*s)->recover();
    if (!report) return fail(report.error());
    outbox::ApplicationStore apps(**s);
    nlohmann::json counts;
    for (const char* state : {"queued", "delivered", "quarantined", "discarded"}) {
      auto n = apps.count(state);
      if (!n) return fail(n.error());
      counts[state] = *n;
    }
    nlohmann::json missing = nlohmann::json::array();
    for (const auto& m : report->missing) missing.push_back({{"sha256", m.sha256}, {"client_id", m.client_id}});
    // The audit chain is part of the store's integrity: cut, rebuilt or
    // missing its receipts' entries is a failed check.
    auto chain = audit::check_integrity((*s)->db(), (*s)->sealer());
    if (!chain) return fail(chain.error());
    nlohmann::json audit_problems = nlohmann::json::array();
    for (const auto& p : chain->problems)
      audit_problems.push_back({{"seq", p.seq}, {"kind", p.kind}, {"message", p.message}});
    const bool ok = *integrity == "ok" && report->missing.empty() && chain->ok();
    if (*as_json) {
      print_json({{"ok", ok}, {"integrity", *integrity}, {"temp_files_removed", report->temp_files_removed},
                  {"orphan_blobs_removed", report->orphan_blobs_removed}, {"missing_blobs", missing},
                  {"applications", counts},
                  {"audit", {{"ok", chain->ok()}, {"entries", chain->entries}, {"problems", audit_problems}}}});
    } else {
      std::printf("audit chain: %s (%lld entries)\n", chain->ok() ? "ok" : "BROKEN",
                  static_cast<long long>(chain->entries));
      for (const auto& p : chain->problems) std::printf("AUDIT %s: %s\n", p.kind.c_str(), p.message.c_str());
      std::printf("integrity: %s\nrecovery: %d temp files removed, %d orphan blobs removed\n", integrity->c_str(),
                  report->temp_files_removed, report->orphan_blobs_removed);
      for (const auto& m : report->missing)
        std::printf("MISSING blob %s of application %s\n", m.sha256.c_str(), m.client_id.c_str());
      std::printf("applications: %s\n", counts.dump().c_str());
    }
    return ok ? kOk : kIntegrity;
  });

  auto* reset = st->add_subcommand("factory-reset",
                                   "Erase residents' data, catalogue and enrolment; keep the audit chain (audited)");
  auto yes = std::make_shared<bool>(false);
  auto force = std::make_shared<bool>(false);
  reset->add_flag("--yes", *yes, "Confirm: this cannot be undone")->required();
  reset->add_flag("--force", *force, "Also discard applications that have not reached the central yet");
  on_run(reset, r, [&r, force]() -> int {
    auto s = r.store();
    if (!s) return fail(s.error());
    auto rep = store::factory_reset(**s, *force);
    if (!rep) return Runner::fail(rep.error(), rep.error().code == "undelivered" ? kRejected : kStoreError);
    std::printf("factory reset: %lld applications and %lld blobs erased (%lld undelivered); audit chain kept\n",
                static_cast<long long>(rep->applications), static_cast<long long>(rep->blobs),
                static_cast<long long>(rep->undelivered));
    return kOk;
  });
}

}  // namespace bianmin::cli
