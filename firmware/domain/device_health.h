// What the heartbeat tells the central about each device (central-api.md,
// POST /api/v1/heartbeat: devices.id_reader / camera / scanner are
// "ok" | "error" | "absent", the printer adds "paper_low" | "paper_out").
// The kiosk holds the devices, so it records their health in the store's
// settings table (device.<name>.status); syncd, which sends the heartbeat,
// reads it there. A terminal whose kiosk never ran reports every device
// "absent".
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace bianmin::domain {

enum class Device { id_reader, printer, camera, scanner };
inline constexpr std::array<Device, 4> kDevices = {Device::id_reader, Device::printer, Device::camera,
                                                   Device::scanner};

// "id_reader", "printer", "camera", "scanner": the heartbeat's keys.
const char* device_name(Device d);
// "device.printer.status" …
std::string health_setting_key(Device d);

// A driver's state word ("ok", "paper_out", "cover_open", "unplugged",
// "starting" …) in the heartbeat's vocabulary. Empty when the state says
// nothing yet ("unknown": not queried since start).
std::string heartbeat_state(Device d, std::string_view driver_state);

}  // namespace bianmin::domain
