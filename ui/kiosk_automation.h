// The kiosk's side of the automation hook (automation.h): what a script
// sees of the kiosk, and its fingers turned into the SDL events a touch
// screen sends.
#pragma once

#include "automation.h"
#include "sim_stack.h"

namespace bianmin::ui {

// The simulated devices and network a script talks to; errors without --sim.
struct ScriptDevices {
  std::function<Result<std::string>(const std::string&)> idcard;
  std::function<Status(const std::string&)> printer, scanner, network;
};
ScriptDevices script_devices(SimStack* sim);

// Pushes the touches of `a` as SDL finger events on a `w` × `h` screen
// (and SDL_QUIT for close-window).
void push_script_touches(const Automation::Action& a, int w, int h);

}  // namespace bianmin::ui
