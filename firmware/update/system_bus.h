// The system D-Bus, for the two services the update path talks to: RAUC
// (de.pengutronix.rauc) and systemd (unit states for the health check).
// sd-bus from libsystemd, which the firmware already links for the journal.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"

struct sd_bus;

namespace bianmin::update {

class SystemBus {
 public:
  // Fails with code "bus_unavailable" where there is no system bus (a
  // developer's container) so callers can say "no RAUC here".
  static Result<SystemBus> open();

  sd_bus* get() const { return bus_.get(); }

  // A unit's ActiveState ("active", "activating", "failed", ...) and the
  // STATUS= text its service last sent with sd_notify.
  Result<std::string> unit_active_state(const std::string& unit);
  Result<std::string> unit_status_text(const std::string& unit);
  // Asks systemd to reboot (as root).
  Status reboot();

 private:
  struct Unref {
    void operator()(sd_bus* b) const;
  };
  std::unique_ptr<sd_bus, Unref> bus_;
};

}  // namespace bianmin::update
