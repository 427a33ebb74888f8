// The `bianmin` executable: the composition root. It is the only place that
// sees every layer; each layer registers its own subcommands.
#include <CLI/CLI.hpp>

#include <clocale>
#include <cstdio>

#include "base/core_dumps.h"
#include "base/heap_wipe.h"
#include "base/journal_sink.h"
#include "cli/runner.h"
#ifndef BIANMIN_CORE_ONLY
#include "idcard/cli_idcard.h"
#include "printer/cli_printer.h"
#include "camera/cli_scan.h"
#include "scanner/cli_scanner.h"
#include "cli_sync.h"
#include "hall/hall_setup.h"
#include "diagnose_sync.h"
#include "diagnose_devices.h"
#include "ui/cli_kiosk.h"
#include "ui/cli_voice.h"
#include "ui/diagnose_ui.h"
#endif

int main(int argc, char** argv) {
  // Any bianmin process may hold a resident's data (the kiosk, syncd,
  // `submit`): it leaves no core file, and C libraries' freed memory is
  // overwritten where glibc does that (C++'s always is: base/wiping_new.cpp).
  if (auto guard = bianmin::forbid_core_dumps(); !guard) {
    std::fprintf(stderr, "bianmin: %s\n", guard.error().message.c_str());
    return bianmin::cli::kStoreError;
  }
  if (!bianmin::perturb_freed_malloc_chunks(true)) std::fprintf(stderr, "bianmin: glibc refused M_PERTURB\n");
  std::setlocale(LC_ALL, "C.UTF-8");
  bianmin::log::use_journal_when_connected();  // a systemd service: events with fields
  bianmin::cli::Runner runner;
  CLI::App app{"bianmin — firmware of the government-service self-service and counter terminals"};
  app.name("bianmin");
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", BIANMIN_VERSION);
  app.footer(
      "Exit codes: 0 success, 1 usage error, 2 input refused (validation, bad file), 3 not found,\n"
      "4 store or configuration unusable (newer schema, corrupt, disk full, key), 5 integrity problem.\n"
      "Device commands document their own codes in their --help.");
  runner.add_global_options(app);
  bianmin::cli::add_catalog_commands(app, runner);
  bianmin::cli::add_submit_command(app, runner);
  bianmin::cli::add_queue_commands(app, runner);
  bianmin::cli::add_audit_commands(app, runner);
  bianmin::cli::add_store_commands(app, runner);
  bianmin::cli::add_config_commands(app, runner);
  bianmin::cli::add_service_commands(app, runner);
  bianmin::cli::add_clerk_commands(app, runner);
  bianmin::cli::add_update_commands(app, runner);
#ifndef BIANMIN_CORE_ONLY
  bianmin::drivers::add_idcard_commands(app, runner);
  bianmin::drivers::add_printer_commands(app, runner);
  bianmin::drivers::add_scan_commands(app, runner);
  bianmin::drivers::add_scanner_commands(app, runner);
  bianmin::sync::add_sync_commands(app, runner);
  runner.hall_queue_opener = bianmin::sync::hall::open_hall_queue;
  bianmin::ui::add_kiosk_command(app, runner);
  bianmin::ui::add_voice_commands(app, runner);
#endif
  bianmin::cli::add_diagnose_command(app, runner, {
#ifndef BIANMIN_CORE_ONLY
      bianmin::sync::add_sync_checks,
      bianmin::drivers::add_device_checks,
      bianmin::ui::add_ui_checks,
#endif
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return bianmin::cli::kUsage;
  }
  if (!runner.action) return bianmin::cli::kUsage;
  return runner.action();
}
