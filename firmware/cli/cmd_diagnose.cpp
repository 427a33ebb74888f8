// bianmin diagnose [--json] [--fix]
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/diagnose_core.h"
#include "cli/runner.h"

namespace bianmin::cli {

void add_diagnose_command(CLI::App& app, Runner& r, std::vector<DiagnoseContributor> contributors) {
  auto* cmd = app.add_subcommand("diagnose", "Check everything the terminal needs, in order, with what to do about "
                                             "each problem. Exit 0 all ok, 1 a warning, 2 a failure");
  auto as_json = std::make_shared<bool>(false);
  auto fix = std::make_shared<bool>(false);
  cmd->add_flag("--json", *as_json, "Print one JSON object {\"checks\": [...], \"verdict\"}");
  cmd->add_flag("--fix", *fix, "Also make the safe repairs (re-request the catalogue, wake the sync daemon) and say what was done");
  on_run(cmd, r, [&r, as_json, fix, contributors = std::move(contributors)]() -> int {
    // Open what the checks share here, on this thread: checks run on their
    // own threads and must not race to open it.
    (void)r.config();
    (void)r.store();
    diagnose::Checklist list;
    add_core_checks(list, r);
    for (const auto& add : contributors) add(list, r);
    const diagnose::Report report = diagnose::run(list.take(), {*fix});
    if (*as_json)
      print_json(report.to_json(*fix));
    else
      std::fputs(report.to_text().c_str(), stdout);
    const int code = report.exit_code();
    if (report.abandoned_a_check) {
      // A hung check still holds a device or a socket on its thread: leave
      // without running destructors under its feet.
      std::cout.flush();
      std::fflush(nullptr);
      std::_Exit(code);
    }
    return code;
  });
}

}  // namespace bianmin::cli
