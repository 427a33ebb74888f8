// bianmin config show | defaults | set
#include <cstdio>

#include "audit/audit_log.h"
#include "cli/runner.h"
#include "config/config_file.h"

namespace bianmin::cli {

void add_config_commands(CLI::App& app, Runner& r) {
  auto* c = app.add_subcommand("config", "The configuration");
  c->require_subcommand(1);

  auto* show = c->add_subcommand("show", "Effective settings and where each came from");
  auto as_json = std::make_shared<bool>(false);
  show->add_flag("--json", *as_json, "Print JSON");
  on_run(show, r, [&r, as_json]() -> int {
    auto cfg = r.config();
    if (!cfg) return Runner::fail(cfg.error(), kStoreError);
    if (*as_json) {
      nlohmann::json out;
      for (const auto& s : config::settings()) {
        const std::string name(s.name);
        if (std::holds_alternative<bool>(s.default_value)) out[name] = (*cfg)->boolean(name);
        else if (std::holds_alternative<int64_t>(s.default_value)) out[name] = (*cfg)->integer(name);
        else out[name] = (*cfg)->str(name);
      }
      print_json(out);
      return kOk;
    }
    for (const auto& [k, v] : (*cfg)->describe()) std::printf("%s = %s\n", k.c_str(), v.c_str());
    return kOk;
  });

  auto* defaults = c->add_subcommand("defaults", "A complete configuration file with every default, documented");
  on_run(defaults, r, []() -> int {
    std::string section;
    for (const auto& s : config::settings()) {
      const std::string name(s.name);
      const auto dot = name.find('.');
      if (name.substr(0, dot) != section) {
        section = name.substr(0, dot);
        std::printf("%s[%s]\n", &s == &config::settings().front() ? "" : "\n", section.c_str());
      }
      std::printf("# %s\n", std::string(s.doc).c_str());
      const std::string v = config::to_string(s.default_value);
      const bool quoted = std::holds_alternative<std::string>(s.default_value);
      std::printf("%s = %s%s%s\n", name.substr(dot + 1).c_str(), quoted ? "\"" : "", v.c_str(), quoted ? "\"" : "");
    }
    return kOk;
  });

  auto* set = c->add_subcommand("set", "Change one setting in the configuration file (audited)");
  auto assignment = std::make_shared<std::string>();
  set->add_option("assignment", *assignment, "section.key=value")->required();
  on_run(set, r, [&r, assignment]() -> int {
    const std::string path = r.config_path();
    auto change = config::write_setting(path, *assignment);
    if (!change) return Runner::fail(change.error(), change.error().code == "config_invalid" ? kRejected : kStoreError);
    // Recorded in the store the (old) configuration points at.
    if (auto s = r.store(); s) {
      audit::AuditLog((*s)->db(), (*s)->sealer())
          .append(audit::kConfigChange, {{"setting", change->name}, {"old", change->old_value},
                                         {"new", change->new_value}, {"file", path}})
          .ok();
    }
    std::printf("%s: %s → %s (%s)\n", change->name.c_str(), change->old_value.c_str(), change->new_value.c_str(),
                path.c_str());
    return kOk;
  });
}

}  // namespace bianmin::cli
