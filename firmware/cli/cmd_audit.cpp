// bianmin audit verify [--file F] | audit list
#include <cstdio>

#include "audit/audit_log.h"
#include "audit/export.h"
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
      Result<std::vector<audit::Entry>> entries =
          file->empty() ? audit::AuditLog((*s)->db(), (*s)->sealer().suite()).entries() : read_export(*file);
      if (!entries) return fail(entries.error());
      auto problem = audit::verify_chain((*s)->sealer().suite(), *entries);
      if (*as_json) {
        json out = {{"ok", !problem}, {"entries", entries->size()}, {"hash", crypto::hash_name((*s)->sealer().suite())}};
        if (problem) out["problem"] = {{"seq", problem->seq}, {"kind", problem->kind}, {"message", problem->message}};
        print_json(out);
      } else if (!problem) {
        std::printf("audit chain ok: %zu entries\n", entries->size());
      }
      if (problem) {
        std::fprintf(stderr, "bianmin: audit chain broken: %s\n", problem->message.c_str());
        return kIntegrity;
      }
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
      auto entries = audit::AuditLog((*s)->db(), (*s)->sealer().suite()).entries(*from, *limit);
      if (!entries) return fail(entries.error());
      json out = {{"entries", json::array()}};
      for (const auto& e : *entries) out["entries"].push_back(e.to_json());
      print_json(out);
      return kOk;
    });
  }
}

}  // namespace bianmin::cli
