// The kiosk process's one object, run by run_kiosk (kiosk.h): its start-up
// (data, role, window, fonts) is in kiosk_setup.cpp, its render loop and the
// events it reacts to in kiosk.cpp.
#pragma once

#include <SDL.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "update/quiet_gate.h"
#include "atlas_keeper.h"
#include "automation.h"
#include "counter_desk.h"
#include "display.h"
#include "fonts.h"
#include "frame_stats.h"
#include "i18n.h"
#include "ime.h"
#include "kiosk.h"
#include "resident_role.h"
#include "service_mode.h"
#include "shell.h"
#include "sim_stack.h"
#include "speaker.h"
#include "startup_loader.h"
#include "termination.h"
#include "thumbnails.h"
#include "touch.h"
#include "widgets.h"
#include "workers.h"

namespace bianmin::ui {

using KioskClock = std::chrono::steady_clock;

class Kiosk {
 public:
  Kiosk(cli::Runner& r, KioskOptions o) : runner_(r), opt_(std::move(o)) {}
  int run();

 private:
  Status init_data();
  Status init_window();
  Status init_fonts();
  void loop();
  void frame();
  Status init_role(const config::Config& cfg);
  void feed(session::Input in);
  void on_sdl(const SDL_Event& ev);
  void finger_down(int finger, float x, float y);
  void on_loop_event(LoopEvent& e);
  void wipe_all();
  void sync_session_gate();
  void set_catalog(std::shared_ptr<const catalog::Catalog> c);
  void write_stats();
  void record_display(const std::string& facts);

  cli::Runner& runner_;
  KioskOptions opt_;
  // First member: blocks the termination signals before any thread starts.
  TerminationWatch termination_;
  std::string data_dir_;
  bool throwaway_ = false;
  std::unique_ptr<SimStack> sim_;
  std::optional<Strings> strings_;
  std::shared_ptr<const catalog::Catalog> catalog_;
  Inbox inbox_;
  std::unique_ptr<Shell> shell_;
  std::unique_ptr<CounterDesk> desk_;  // the counter's own worker (--role counter)
  std::unique_ptr<Speaker> speaker_;   // voice guidance; before role_: it speaks through it
  std::unique_ptr<Role> role_;         // after shell_ and desk_: it uses them
  std::unique_ptr<ServiceMode> service_;  // after shell_: its worker uses the shell
  std::unique_ptr<StartupLoader> loader_;  // from init_data to init_fonts
  bool restart_after_service_ = false;    // a factory reset: start afresh
  // Held open while a resident or clerk is served, so an installed update
  // reboots only between sessions; `updating_` once a reboot has shut it.
  update::GateHold session_gate_;
  bool updating_ = false;
  std::unique_ptr<InputMethod> ime_;
  std::thread ime_thread_;
  std::promise<std::unique_ptr<InputMethod>> ime_promise_;
  std::future<std::unique_ptr<InputMethod>> ime_future_;
  std::optional<Automation> automation_;

  Display display_;
  SDL_Window* window_ = nullptr;  // display_'s
  int w_ = 1080, h_ = 1920;
  std::unique_ptr<Fonts> fonts_;
  std::unique_ptr<AtlasKeeper> atlas_;  // declared after fonts_ and inbox_: destroyed first
  Touch touch_;
  std::unique_ptr<Ui> ui_;
  Local local_;
  DeviceStatus status_;
  Preview preview_;
  Thumbnails thumbs_;  // the captured pages on the materials step

  bool dirty_ = true;
  bool quit_ = false;
  int exit_code_ = 0;
  uint64_t frames_ = 0;
  std::string pending_shot_;
  std::string clock_;
  KioskClock::time_point last_frame_{};
  // Measurements.
  FrameStats stats_;
};

}  // namespace bianmin::ui
