#include "domain/device_health.h"

namespace bianmin::domain {

const char* device_name(Device d) {
  switch (d) {
    case Device::id_reader: return "id_reader";
    case Device::printer: return "printer";
    case Device::camera: return "camera";
    case Device::scanner: return "scanner";
  }
  return "?";
}

std::string health_setting_key(Device d) { return std::string("device.") + device_name(d) + ".status"; }

std::string heartbeat_state(Device d, std::string_view s) {
  if (s.empty() || s == "unknown") return "";
  if (s == "ok" || s == "absent") return std::string(s);
  // A camera that is streaming, starting or busy with a still is working.
  if (d == Device::camera && (s == "streaming" || s == "starting" || s == "busy")) return "ok";
  if (d == Device::printer && (s == "paper_low" || s == "paper_out")) return std::string(s);
  // Cover open, offline, unplugged while configured, anything unforeseen:
  // the device is fitted but not usable, which a technician must look at.
  return "error";
}

}  // namespace bianmin::domain
