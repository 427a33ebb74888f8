#include "update/health_check.h"

#include <thread>

#include "update/rauc_client.h"
#include "update/system_bus.h"
#include "update/update_record.h"

namespace bianmin::update {

namespace {

using Clock = std::chrono::steady_clock;

std::string slot_version(Rauc& rauc, const std::string& bootname) {
  auto slots = rauc.slots();
  if (!slots) return "";
  for (const auto& s : *slots)
    if (s.bootname == bootname) return s.bundle_version;
  return "";
}

// The trial's two waits, in order: ready, then the central reached.
enum class Phase { waiting_ready, waiting_contact, done };

Result<HealthReport> settle_trial(const HealthSettings& s, Rauc& rauc, SystemBus& bus, HealthReport report,
                                  const std::function<void(const std::string&)>& say) {
  const std::string& slot = report.booted;
  const auto start = Clock::now();
  auto ready_since = start;
  Phase phase = Phase::waiting_ready;
  std::string contact_note;
  while (phase != Phase::done) {
    const auto now = Clock::now();
    if (phase == Phase::waiting_ready) {
      auto kiosk = bus.unit_active_state(kKioskUnit);
      auto syncd = bus.unit_active_state(kSyncdUnit);
      if (kiosk && syncd && *kiosk == "active" && *syncd == "active") {
        say("kiosk and syncd are ready");
        phase = Phase::waiting_contact;
        ready_since = now;
        continue;
      }
      // "failed" stays only once systemd gave up restarting (its start
      // limit): no use waiting for the timeout then.
      const bool kiosk_gave_up = kiosk && *kiosk == "failed", syncd_gave_up = syncd && *syncd == "failed";
      if (kiosk_gave_up || syncd_gave_up || now - start > s.ready_timeout) {
        const std::string who = (!kiosk || *kiosk != "active") ? "the kiosk" : "syncd";
        report.verdict = "not healthy: " + who +
                         (kiosk_gave_up || syncd_gave_up ? " failed to start and systemd gave up restarting it"
                                                         : " was not ready within " + std::to_string(s.ready_timeout.count()) + " s");
        (void)write_update_record(s.data_dir, {slot_version(rauc, slot), Outcome::failed, report.verdict, slot, ""});
        say(report.verdict + (s.reboot_on_failure ? "; rebooting into the previous system" : ""));
        if (s.reboot_on_failure) {
          if (auto st = bus.reboot(); !st) return st.take_error();
          report.rebooting = true;
        }
        return report;
      }
    } else {
      auto status = bus.unit_status_text(kSyncdUnit);
      if (status && status->find(kCentralReachedStatus) != std::string::npos) {
        contact_note = "the central was reached";
        phase = Phase::done;
        continue;
      }
      if (now - ready_since > s.contact_timeout) {
        contact_note = "the central was not reached within " + std::to_string(s.contact_timeout.count()) +
                       " s (offline hall); good on readiness";
        phase = Phase::done;
        continue;
      }
    }
    std::this_thread::sleep_for(s.poll);
  }
  // RAUC first (X_OK=1, X_TRY=0, its own status), then the mark that lets
  // GRUB boot the slot without a trial. A power cut between the two only
  // costs one more trial boot, which this check then passes.
  if (auto st = rauc.mark("good", "booted"); !st) return st.take_error();
  if (auto st = edit_grub_env(s.grubenv, {{slot + "_HEALTHY", "1"}}); !st) return st.take_error();
  report.verdict = "marked good: " + contact_note;
  if (auto st = write_update_record(s.data_dir, {slot_version(rauc, slot), Outcome::good, contact_note, slot, ""}); !st)
    return st.take_error();
  say("slot " + slot + " " + report.verdict);
  return report;
}

Result<HealthReport> settle_rollback(const HealthSettings& s, Rauc& rauc, HealthReport report,
                                     const std::function<void(const std::string&)>& say) {
  const std::string failed = other_slot(report.booted);
  const std::string version = slot_version(rauc, failed);
  if (auto st = rauc.mark("bad", "other"); !st) return st.take_error();
  if (auto st = rauc.mark("active", "booted"); !st) return st.take_error();
  // Keep the failed boot's own reason when it got to write one.
  std::string why = "slot " + failed + " did not come up healthy";
  if (auto prev = read_update_record(s.data_dir); prev && *prev && (*prev)->outcome == Outcome::failed &&
                                                  (*prev)->slot == failed && !(*prev)->message.empty())
    why = (*prev)->message;
  if (auto st = write_update_record(s.data_dir, {version, Outcome::rolled_back, why, failed, ""}); !st)
    return st.take_error();
  report.verdict = "rolled back: " + why;
  say("back on slot " + report.booted + ": " + why);
  return report;
}

}  // namespace

BootKind classify_boot(const GrubEnv& env, const std::string& booted) {
  const SlotBootState self = slot_boot_state(env, booted);
  if (!self.healthy) return BootKind::trial;
  const SlotBootState other = slot_boot_state(env, other_slot(booted));
  if (other.complete && other.trial_spent && !other.healthy) return BootKind::after_rollback;
  return BootKind::ordinary;
}

const char* boot_kind_name(BootKind k) {
  switch (k) {
    case BootKind::ordinary: return "ordinary";
    case BootKind::trial: return "trial";
    case BootKind::after_rollback: return "after_rollback";
  }
  return "ordinary";
}

Result<HealthReport> run_health_check(const HealthSettings& s, Rauc& rauc, SystemBus& bus,
                                      const std::function<void(const std::string&)>& say) {
  auto booted = rauc.boot_slot();
  if (!booted) return booted.take_error();
  auto env = GrubEnv::read(s.grubenv);
  if (!env) return env.take_error();
  HealthReport report;
  report.booted = *booted;
  report.kind = classify_boot(*env, *booted);
  say("booted slot " + *booted + " (" + boot_kind_name(report.kind) + " boot)");
  switch (report.kind) {
    case BootKind::ordinary:
      report.verdict = "healthy";
      // An install that never finished (power cut, restart): RAUC marked
      // the slot it was writing not bootable first, so this boot is on the
      // old system, unchanged; say so, and the update can be tried again.
      if (auto prev = read_update_record(s.data_dir); prev && *prev && (*prev)->outcome == Outcome::installing) {
        UpdateRecord r = **prev;
        r.outcome = Outcome::failed;
        r.message = "the install was interrupted (power cut or restart); the running system is unchanged";
        r.at.clear();
        if (auto st = write_update_record(s.data_dir, r); !st) return st.take_error();
        say(r.message);
      }
      return report;
    case BootKind::trial:
      return settle_trial(s, rauc, bus, std::move(report), say);
    case BootKind::after_rollback:
      return settle_rollback(s, rauc, std::move(report), say);
  }
  return report;
}

}  // namespace bianmin::update
