#include "client/device_report.h"

#include "domain/device_health.h"

namespace bianmin::sync {

nlohmann::json device_report(store::Store& s) {
  nlohmann::json out = nlohmann::json::object();
  for (domain::Device d : domain::kDevices) {
    auto v = s.setting(domain::health_setting_key(d));
    // Never recorded (no kiosk has run) or unreadable: nothing is known to work.
    out[domain::device_name(d)] = v && *v && !(*v)->empty() ? **v : "absent";
  }
  return out;
}

}  // namespace bianmin::sync
