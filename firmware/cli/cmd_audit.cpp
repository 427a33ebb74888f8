// bianmin audit verify [--file F] | audit clear-break | audit list
#include <cstdio>

#include "audit/audit_log.h"
#include "audit/export.h"
#include "audit/integrity.h"
#include "base/fs.h"
#include "cli/runner.h"

namespace bianmin::cli {
namespace {

using json = nlohmann::json;

Result<std::vector<audit::Entry>> read_export(const std::string& path) {
  BIANMIN_ASSIGN(std::string text, fs::read_file(path, 256u << 20));
  auto entries = audit::parse_export(text);
  if (!entries) return entries.take_error().context(path);
  return entries;
}

}  // namespace

void add_audit_commands(CLI::App& app, Runner& r) {
  auto* a = app.add_subcommand("audit", "The audit hash chain");
  a->require_subcommand(1);
  {
    auto* cmd = a->add_subcommand("verify", "Check the chain; names the first altered, removed, inserted or reordered entry");
    auto file = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    cmd->add_option("--file", *file, "Verify an exported chain {\"entries\": [...]} instead of the store");
    cmd->add_flag("--json", *as_json, "Print JSON");
    on_run(cmd, r, [&r, file, as_json]() -> int {
      auto s = r.store();
      if (!s) return fail(s.error());
      const crypto::Suite suite = (*s)->sealer().suite();
      // The store: chain, keyed anchor, recorded break, receipts. A file:
      // the chain alone (an export carries no anchor).
      std::vector<audit::ChainProblem> problems;
      int64_t count = 0;
      if (file->empty()) {
        auto report = audit::check_integrity((*s)->db(), (*s)->sealer());
        if (!report) return fail(report.error());
        problems = report->problems;
        count = report->entries;
      } else {
        auto entries = read_export(*file);
        if (!entries) return fail(entries.error());
        if (auto p = audit::verify_chain(suite, *entries)) problems.push_back(*p);
        count = static_cast<int64_t>(entries->size());
      }
      if (*as_json) {
        json out = {{"ok", problems.empty()}, {"entries", count}, {"hash", crypto::hash_name(suite)}};
        auto as_obj = [](const audit::ChainProblem& p) {
          return json{{"seq", p.seq}, {"kind", p.kind}, {"message", p.message}};
        };
        if (!problems.empty()) {
          out["problem"] = as_obj(problems.front());
          out["problems"] = json::array();
          for (const auto& p : problems) out["problems"].push_back(as_obj(p));
        }
        print_json(out);
      } else if (problems.empty()) {
        std::printf("audit chain ok: %lld entries\n", static_cast<long long>(count));
      }
      if (!problems.empty()) {
        for (const auto& p : problems)
          std::fprintf(stderr, "bianmin: audit chain broken%s: %s\n",
                       p.seq > 0 ? (" at seq " + std::to_string(p.seq)).c_str() : "", p.message.c_str());
        return kIntegrity;
      }
      return kOk;
    });
  }
  {
    auto* cmd = a->add_subcommand("clear-break",
                                  "After looking into a recorded break: record that in the chain and clear it (audited)");
    auto technician = std::make_shared<std::string>();
    cmd->add_option("--technician", *technician, "Who looked into it (recorded in the audit chain)")->required();
    on_run(cmd, r, [&r, technician]() -> int {
      auto s = r.store();
      if (!s) return fail(s.error());
      auto e = audit::AuditLog((*s)->db(), (*s)->sealer()).clear_break(*technician);
      if (!e) return Runner::fail(e.error(), e.error().code == "not_broken" ? kRejected : kStoreError);
      std::printf("break cleared; recorded as audit entry %lld\n", static_cast<long long>(e->seq));
      return kOk;
    });
  }
  {
    auto* cmd = a->add_subcommand("list", "Print entries (the spec's upload format)");
    auto from = std::make_shared<int64_t>(1);
    auto limit = std::make_shared<int64_t>(-1);
    cmd->add_option("--from", *from, "First seq");
    cmd->add_option("--limit", *limit, "Most entries");
    on_run(cmd, r, [&r, from, limit]() -> int {
      auto s = r.store();
      if (!s) return fail(s.error());
      auto entries = audit::AuditLog((*s)->db(), (*s)->sealer()).entries(*from, *limit);
      if (!entries) return fail(entries.error());
      json out = {{"entries", json::array()}};
      for (const auto& e : *entries) out["entries"].push_back(e.to_json());
      print_json(out);
      return kOk;
    });
  }
}

}  // namespace bianmin::cli
