// The devices part of the heartbeat, as recorded by the kiosk in the store
// (see domain/device_health.h); `bianmin sync status` shows the same object,
// so a technician reads exactly what the central is told.
#pragma once

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace bianmin::sync {

// {"id_reader": "ok", "printer": "paper_out", "camera": "absent", "scanner": "ok"}
nlohmann::json device_report(store::Store& s);

}  // namespace bianmin::sync
