#include "display.h"

#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>

#include "base/log.h"
#include "gl.h"
#include "workers.h"

namespace bianmin::ui {

std::string Display::facts() const {
  return driver + ", " + std::to_string(width) + "x" + std::to_string(height) + (full ? " full screen" : " window") +
         ", GL renderer " + gl::renderer();
}

Result<Display> open_display(const DisplayOptions& o) {
  Display d;
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0)
    return make_error("display_unavailable", std::string("SDL: ") + SDL_GetError());
  Inbox::set_wake_event(SDL_RegisterEvents(1));
  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "1");
  d.driver = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "";
  const bool kmsdrm = d.driver == "KMSDRM" || d.driver == "kmsdrm";
  // The device's GPU driver (KMSDRM, EGL) gives OpenGL ES; a developer's
  // machine gives desktop OpenGL. Both are 3.0, which is all the UI needs.
  d.es = o.gl == "es" || (o.gl == "auto" && kmsdrm);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, d.es ? SDL_GL_CONTEXT_PROFILE_ES : 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  // On the device (KMSDRM, no compositor) the screen is the window.
  d.full = !o.window && (o.fullscreen || kmsdrm);
  d.width = o.landscape ? 1920 : 1080;
  d.height = o.landscape ? 1080 : 1920;
  Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_SHOWN;
  if (d.full) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  d.window = SDL_CreateWindow("bianmin", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, d.width, d.height, flags);
  if (!d.window) return make_error("display_unavailable", std::string("SDL window: ") + SDL_GetError());
  d.gl = SDL_GL_CreateContext(d.window);
  if (!d.gl) return make_error("display_unavailable", std::string("OpenGL: ") + SDL_GetError());
  SDL_GL_MakeCurrent(d.window, d.gl);
  SDL_GL_SetSwapInterval(1);
  if (!gl::load(d.es)) return make_error("display_unavailable", "OpenGL entry points missing");
  SDL_GL_GetDrawableSize(d.window, &d.width, &d.height);
  if (!o.cursor) SDL_ShowCursor(SDL_DISABLE);
  // Residents type on the screen's own keyboard; the kiosk reads no keys.
  // A physical keyboard (or a scanner in keyboard-wedge mode) would leave
  // text in SDL's event queue, whose entries are reused, never freed: SDL
  // is told to make no such events at all. A clerk at the counter types on
  // a real keyboard: keys become presses of the on-screen keys
  // (physical_keys.h), and what passes through the queue is the clerk's
  // own typing, on a terminal no resident touches.
  if (o.keyboard) {
    SDL_StartTextInput();
    SDL_EventState(SDL_TEXTEDITING, SDL_IGNORE);
    SDL_EventState(SDL_KEYUP, SDL_IGNORE);
  } else {
    SDL_StopTextInput();
    for (const Uint32 type : {SDL_TEXTINPUT, SDL_TEXTEDITING, SDL_KEYDOWN, SDL_KEYUP}) SDL_EventState(type, SDL_IGNORE);
  }
  log::info("ui", "display",
            {{"driver", d.driver}, {"width", d.width}, {"height", d.height}, {"fullscreen", d.full ? "yes" : "no"},
             {"gl", d.es ? "es" : "desktop"}, {"gl_version", gl::version()}});
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
  if (!ImGui_ImplOpenGL3_Init(d.es ? "#version 300 es" : "#version 130"))
    return make_error("display_unavailable", "ImGui OpenGL3 backend");
  // The backend's own font texture (RGBA, the default font) is replaced by
  // ours (alpha-8, the CJK atlas).
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  return d;
}

void close_display(Display& d) {
  if (ImGui::GetCurrentContext()) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext();
  }
  if (d.gl) SDL_GL_DeleteContext(d.gl);
  if (d.window) SDL_DestroyWindow(d.window);
  d = {};
  SDL_Quit();
}

}  // namespace bianmin::ui
