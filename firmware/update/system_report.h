// The terminal's system as the fleet sees it: the booted root slot, each
// slot's version and boot status (RAUC), and the last update's outcome
// (update.json). Sent in every heartbeat as "system" (README, "Central
// interface extensions") and shown by `bianmin diagnose`.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "diagnose/check.h"

namespace bianmin::update {

// {"slot":"B","slots":[{"slot","version","boot_status","state"}…],
//  "last_update":{"version","result","message"?,"slot"?,"at"}}.
// Without RAUC (a developer's machine) "slot" and "slots" are absent and
// "rauc" says why; last_update is there whenever an update ever ran.
nlohmann::json system_report(const std::string& data_dir);

// What `bianmin diagnose` says of a report: the slots in one line; a
// warning when the last update was refused, failed or rolled back.
diagnose::Finding system_finding(const nlohmann::json& report);

}  // namespace bianmin::update
