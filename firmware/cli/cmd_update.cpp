// System updates (RAUC A/B; README "Updates"):
//
//   bianmin update install FILE [--no-reboot] [--timeout S]
//        a signed bundle (a technician's USB stick) into the slot not
//        running; then the reboot is requested and happens when no session
//        is on the screen and no application is being delivered.
//        Exit 0 installed, 2 refused (signature, compatible, format: nothing
//        changed), 4 RAUC unavailable or the install failed midway.
//   bianmin update status [--json]     slots, the booted one, the last update
//   bianmin update health [...]        after each boot (bianmin-health.service)
//   bianmin update reboot-when-quiet   (bianmin-reboot.service, root)
#include <cstdio>

#include "base/log.h"
#include "cli/runner.h"
#include "update/health_check.h"
#include "update/installer.h"
#include "update/rauc_client.h"
#include "update/system_bus.h"
#include "update/update_record.h"

namespace bianmin::cli {
namespace {

using json = nlohmann::json;

int update_fail(const Error& e) {
  return Runner::fail(e, e.code == "refused" ? kRejected : kStoreError);
}

Result<std::string> data_dir(Runner& r) {
  auto cfg = r.config();
  if (!cfg) return cfg.take_error();
  return (*cfg)->data_dir();
}

void say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  log::info("update", line);
}

json status_json(update::Rauc& rauc, const std::string& dir) {
  json out = json::object();
  if (auto b = rauc.boot_slot()) out["booted"] = *b;
  json slots = json::array();
  if (auto list = rauc.slots()) {
    for (const auto& s : *list)
      slots.push_back({{"slot", s.bootname}, {"name", s.name}, {"state", s.state}, {"boot_status", s.boot_status},
                       {"version", s.bundle_version}, {"installed_at", s.installed_at}});
  } else {
    out["error"] = list.error().message;
  }
  out["slots"] = slots;
  if (auto rec = update::read_update_record(dir); rec && *rec) out["last_update"] = update::to_json(**rec);
  return out;
}

}  // namespace

void add_update_commands(CLI::App& app, Runner& r) {
  auto* upd = app.add_subcommand("update", "System updates: signed RAUC bundles into the other root slot, with rollback");
  upd->require_subcommand(1);

  auto* install = upd->add_subcommand("install", "Install a signed bundle into the slot not running, then reboot when quiet");
  auto file = std::make_shared<std::string>();
  auto no_reboot = std::make_shared<bool>(false);
  auto timeout = std::make_shared<int>(3600);
  install->add_option("FILE", *file, "The bundle (.raucb)")->required()->check(CLI::ExistingFile);
  install->add_flag("--no-reboot", *no_reboot, "Install only; the new slot boots at the next restart");
  install->add_option("--timeout", *timeout, "Give up waiting for RAUC after this many seconds")->capture_default_str();
  on_run(install, r, [&r, file, no_reboot, timeout]() -> int {
    auto dir = data_dir(r);
    if (!dir) return fail(dir.error());
    auto bus = update::SystemBus::open();
    if (!bus) return update_fail(bus.error());
    update::Rauc rauc(*bus);
    char* abs = ::realpath(file->c_str(), nullptr);
    const std::string path = abs ? abs : *file;
    free(abs);
    auto report = update::install_bundle({path, *dir, std::chrono::seconds(*timeout), !*no_reboot}, rauc,
                                         [](int percent, const std::string& step) {
                                           std::printf("%3d%% %s\n", percent, step.c_str());
                                           std::fflush(stdout);
                                         });
    if (!report) return update_fail(report.error());
    say("installed " + report->version + " into slot " + report->slot +
        (*no_reboot ? "; it boots at the next restart"
                    : "; the terminal restarts when no session is on the screen and no delivery is under way"));
    return kOk;
  });

  auto* status = upd->add_subcommand("status", "The root slots, the one booted and the last update's outcome");
  auto as_json = std::make_shared<bool>(false);
  status->add_flag("--json", *as_json, "Machine-readable output");
  on_run(status, r, [&r, as_json]() -> int {
    auto dir = data_dir(r);
    if (!dir) return fail(dir.error());
    auto bus = update::SystemBus::open();
    if (!bus) return update_fail(bus.error());
    update::Rauc rauc(*bus);
    const json st = status_json(rauc, *dir);
    if (*as_json) {
      print_json(st);
      return kOk;
    }
    std::printf("booted slot: %s\n", st.value("booted", "?").c_str());
    for (const auto& s : st["slots"])
      std::printf("  slot %s (%s): %s, %s, version %s\n", s["slot"].get<std::string>().c_str(),
                  s["name"].get<std::string>().c_str(), s["state"].get<std::string>().c_str(),
                  s["boot_status"].get<std::string>().c_str(),
                  s["version"].get<std::string>().empty() ? "(factory)" : s["version"].get<std::string>().c_str());
    if (st.contains("last_update")) std::printf("last update: %s\n", st["last_update"].dump().c_str());
    return kOk;
  });

  auto* health = upd->add_subcommand("health", "After a boot: mark a new system good when healthy, else go back (root)");
  auto hs = std::make_shared<update::HealthSettings>();
  auto ready_s = std::make_shared<int>(300);
  auto contact_s = std::make_shared<int>(120);
  auto stay = std::make_shared<bool>(false);
  hs->grubenv = "/boot/efi/EFI/bianmin/grubenv";
  health->add_option("--ready-timeout", *ready_s, "Seconds the kiosk and syncd have to become ready")->capture_default_str();
  health->add_option("--contact-timeout", *contact_s, "Seconds syncd has, once ready, to reach the central")->capture_default_str();
  health->add_option("--grubenv", hs->grubenv, "GRUB's environment block")->capture_default_str();
  health->add_flag("--no-reboot", *stay, "Report an unhealthy trial boot without rebooting");
  on_run(health, r, [&r, hs, ready_s, contact_s, stay]() -> int {
    auto dir = data_dir(r);
    if (!dir) return fail(dir.error());
    hs->data_dir = *dir;
    hs->ready_timeout = std::chrono::seconds(*ready_s);
    hs->contact_timeout = std::chrono::seconds(*contact_s);
    hs->reboot_on_failure = !*stay;
    auto bus = update::SystemBus::open();
    if (!bus) return update_fail(bus.error());
    update::Rauc rauc(*bus);
    auto report = update::run_health_check(*hs, rauc, *bus, say);
    if (!report) return update_fail(report.error());
    say("slot " + report->booted + ": " + report->verdict);
    return kOk;
  });

  auto* reboot = upd->add_subcommand("reboot-when-quiet", "Reboot into an installed update once no session or delivery is under way (root)");
  on_run(reboot, r, [&r]() -> int {
    auto dir = data_dir(r);
    if (!dir) return fail(dir.error());
    auto bus = update::SystemBus::open();
    if (!bus) return update_fail(bus.error());
    if (auto st = update::reboot_when_quiet(*dir, *bus, say); !st) return update_fail(st.error());
    return kOk;
  });
}

}  // namespace bianmin::cli
