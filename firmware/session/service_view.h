// What the service screens show at this moment: the whole state of the
// technician's service mode, read by the UI every frame. Like the resident
// View, texts are message keys or sentences from the workers, never a
// resident's unmasked data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnose/report.h"
#include "session/service_inputs.h"

namespace bianmin::session {

struct ServiceView {
  ServiceScreen screen = ServiceScreen::closed;
  bool enrolled = true;
  bool pin_set = false;
  std::string technician;  // set once unlocked; empty while locked

  bool busy = false;       // a worker is on it: checking a PIN, running checks, enrolling…
  std::string notice;      // message key, e.g. "service.pin_wrong"; empty for none
  std::string message;     // the last worker's sentence (what it did, or why it could not)
  int attempts_left = -1;  // after a wrong PIN
  int64_t locked_for_s = 0;
  int countdown = -1;      // seconds before service mode closes by itself

  std::optional<diagnose::Report> report;
  DeviceKind device = DeviceKind::idcard;  // device_test: which one
  std::optional<DeviceTested> test;         // its result, when there is one
  DeviceChoices choices;
  std::vector<QueueEntry> queue;
  std::string reset_code;  // factory_reset: the digits to type back
  BundlesFound update;     // system_update: the slots, the stick and its bundles
  bool installing = false; // system_update: RAUC is writing the other slot

  bool open() const { return screen != ServiceScreen::closed; }
  bool unlocked() const { return !technician.empty(); }
};

}  // namespace bianmin::session
