// The kiosk's screen: SDL's window, the OpenGL (ES) context and ImGui's
// renderer on it, opened the way the device needs (KMSDRM: full screen,
// OpenGL ES) or a developer's machine allows (a window, desktop OpenGL).
#pragma once

#include <SDL.h>

#include <string>

#include "base/result.h"

namespace bianmin::ui {

struct DisplayOptions {
  bool landscape = false;
  bool window = false;      // a window even where full screen is possible
  bool fullscreen = false;  // full screen even under a window system
  bool cursor = false;
  std::string gl = "auto";  // es | desktop | auto (ES on KMSDRM)
  bool keyboard = false;    // read a physical keyboard (the counter)
};

struct Display {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  int width = 0, height = 0;  // drawable pixels
  bool es = false, full = false;
  std::string driver;
  // "x11, 1920x1080 window, GL renderer llvmpipe …": what `diagnose` reports.
  std::string facts() const;
};

// Initialises SDL, opens the window and its context, loads GL, and sets up
// ImGui with its OpenGL3 backend (its own font texture dropped: the CJK
// atlas replaces it). "display_unavailable" naming what is missing.
Result<Display> open_display(const DisplayOptions& o);
// ImGui's backend and context, the context, the window, SDL.
void close_display(Display& d);

}  // namespace bianmin::ui
