#include "update/system_bus.h"

#include "update/sd_bus_util.h"

namespace bianmin::update {

namespace {

constexpr const char* kSystemd = "org.freedesktop.systemd1";

Result<std::string> unit_property(sd_bus* bus, const std::string& unit, const char* iface, const char* prop) {
  char* raw_path = nullptr;
  if (int r = sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit.c_str(), &raw_path); r < 0)
    return errno_bus_error("sd_bus_path_encode", r);
  std::unique_ptr<char, decltype(&free)> path(raw_path, &free);
  BusError err;
  char* value = nullptr;
  if (int r = sd_bus_get_property_string(bus, kSystemd, path.get(), iface, prop, &err.e, &value); r < 0)
    return bus_error(prop, err.e, r);
  std::string out = value ? value : "";
  free(value);
  return out;
}

}  // namespace

void SystemBus::Unref::operator()(sd_bus* b) const { sd_bus_flush_close_unref(b); }

Result<SystemBus> SystemBus::open() {
  sd_bus* bus = nullptr;
  if (int r = sd_bus_open_system(&bus); r < 0)
    return make_error("bus_unavailable", std::string("no system D-Bus: ") + std::strerror(-r));
  SystemBus b;
  b.bus_.reset(bus);
  return b;
}

Result<std::string> SystemBus::unit_active_state(const std::string& unit) {
  return unit_property(get(), unit, "org.freedesktop.systemd1.Unit", "ActiveState");
}

Result<std::string> SystemBus::unit_status_text(const std::string& unit) {
  return unit_property(get(), unit, "org.freedesktop.systemd1.Service", "StatusText");
}

Status SystemBus::reboot() {
  BusError err;
  // StartUnit("reboot.target", "replace-irreversibly"): what `systemctl
  // reboot` does; the job cannot be cancelled by a later start request.
  if (int r = sd_bus_call_method(get(), kSystemd, "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                                 "StartUnit", &err.e, nullptr, "ss", "reboot.target", "replace-irreversibly");
      r < 0)
    return bus_error("reboot", err.e, r);
  return {};
}

}  // namespace bianmin::update
