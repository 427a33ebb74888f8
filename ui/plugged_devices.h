// What is plugged in, as device addresses the drivers take: for the
// service mode's settings screen, so a technician picks from a list instead
// of typing /dev paths. Found by the device nodes the kernel made (udev's
// names for the image come with its rules); the addresses the terminal uses
// now are always in the lists, even when they are not device nodes (a
// printer on TCP, a simulator's pty).
#pragma once

#include <string>

#include "session/service_inputs.h"

namespace bianmin::ui {

// `dev_root` is /dev (tests give a directory of their own).
session::DeviceChoices plugged_devices(const std::string& dev_root, const session::DeviceChoices& current);

}  // namespace bianmin::ui
