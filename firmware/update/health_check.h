// After every boot, the health check (`bianmin update health`, run by
// bianmin-health.service as root) settles what the boot means for the two
// slots:
//
//   ordinary        the booted slot proved healthy before: nothing to do
//   trial           a new system's one trial boot: wait until the kiosk and
//                   syncd are ready (sd_notify READY) and syncd reached the
//                   central (or `contact_timeout` passed), then mark the slot
//                   good and healthy; if they are not ready within
//                   `ready_timeout`, or systemd gave up restarting one, reboot
//                   — GRUB then passes over the slot whose trial is spent and
//                   boots the old one
//   after_rollback  the old slot again, after the other's trial failed: mark
//                   the other bad and this one primary, and say so
//
// The store is not touched here: a newer slot's store migration runs only
// when its syncd opens the store, and its schema changes are additive
// (README, "Updates"), so the old slot reads a migrated store after a
// rollback.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/result.h"
#include "update/grub_env.h"

namespace bianmin::update {

class Rauc;
class SystemBus;

enum class BootKind { ordinary, trial, after_rollback };
BootKind classify_boot(const GrubEnv& env, const std::string& booted);
const char* boot_kind_name(BootKind k);

struct HealthSettings {
  std::string data_dir;
  std::string grubenv;
  std::chrono::seconds ready_timeout{300};
  std::chrono::seconds contact_timeout{120};
  std::chrono::milliseconds poll{2000};
  bool reboot_on_failure = true;
};

// What the check saw; for the command's output and the journal.
struct HealthReport {
  std::string booted;
  BootKind kind = BootKind::ordinary;
  std::string verdict;  // "healthy", "marked good", "rolled back", "not healthy: ..."
  bool rebooting = false;
};

// The whole check: the boot's kind, then what that kind needs.
Result<HealthReport> run_health_check(const HealthSettings& s, Rauc& rauc, SystemBus& bus,
                                      const std::function<void(const std::string&)>& say);

// The units whose readiness makes a system healthy, and syncd's STATUS=
// text once it has reached the central.
inline constexpr const char* kKioskUnit = "bianmin-kiosk.service";
inline constexpr const char* kSyncdUnit = "bianmin-syncd.service";
inline constexpr const char* kCentralReachedStatus = "central reached";

}  // namespace bianmin::update
