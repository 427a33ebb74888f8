#include "kiosk_automation.h"

#include <SDL.h>

#include <algorithm>
#include <string>

namespace bianmin::ui {

ScriptDevices script_devices(SimStack* sim) {
  auto no_sim = [] { return make_error("no_sim", "not a simulated terminal (--sim)"); };
  ScriptDevices d;
  d.idcard = [sim, no_sim](const std::string& l) -> Result<std::string> {
    if (!sim) return no_sim();
    return sim->idcard(l);
  };
  d.printer = [sim, no_sim](const std::string& l) -> Status { return sim ? sim->printer_control(l) : Status(no_sim()); };
  d.scanner = [sim, no_sim](const std::string& l) -> Status { return sim ? sim->scanner_control(l) : Status(no_sim()); };
  d.network = [sim, no_sim](const std::string& l) -> Status { return sim ? sim->network(l) : Status(no_sim()); };
  return d;
}

namespace {

void push_finger(Uint32 type, float x, float y, int w, int h) {
  SDL_Event e{};
  e.type = type;
  e.tfinger.x = x / static_cast<float>(w);
  e.tfinger.y = y / static_cast<float>(h);
  e.tfinger.pressure = 1;
  SDL_PushEvent(&e);
}

}  // namespace

void push_script_touches(const Automation::Action& a, int w, int h) {
  if (a.tap) {
    push_finger(SDL_FINGERDOWN, a.x, a.y, w, h);
    push_finger(SDL_FINGERUP, a.x, a.y, w, h);
  }
  if (a.press) push_finger(SDL_FINGERDOWN, a.x, a.y, w, h);
  if (a.release) push_finger(SDL_FINGERUP, a.x, a.y, w, h);
  if (!a.keys.empty()) {
    // As SDL sends typed text: at most 31 bytes per event.
    for (std::size_t at = 0; at < a.keys.size(); at += 31) {
      SDL_Event e{};
      e.type = SDL_TEXTINPUT;
      const std::string part = a.keys.substr(at, 31);
      std::copy(part.begin(), part.end(), e.text.text);
      SDL_PushEvent(&e);
    }
  }
  if (!a.key.empty()) {
    SDL_Event e{};
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = a.key == "enter" ? SDLK_RETURN : a.key == "backspace" ? SDLK_BACKSPACE : SDLK_ESCAPE;
    SDL_PushEvent(&e);
  }
  if (a.close_window) {
    SDL_Event q{};
    q.type = SDL_QUIT;
    SDL_PushEvent(&q);
  }
}

}  // namespace bianmin::ui
