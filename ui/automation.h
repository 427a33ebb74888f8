// The automation hook: a script of touches by element id, waits and
// screenshots, run by the real kiosk (tests run it headless under Xvfb).
//
//   wait SCREEN [SECONDS]      until the session shows SCREEN (view.h keys, clerk_inputs.h's at a
//                              counter; service_view.h's service_* keys while service mode is open)
//   tap ID [SECONDS]           a finger down and up on element ID (waits until it is drawn)
//   seek ID PAGER              page forward (tap PAGER.next) until ID is on the screen
//   type TEXT                  taps kbd.<c> for each character (letters, digits, '-', ' ')
//   screenshot NAME            PNG of the frame: <dir>/<NN>-NAME.png
//   expect-text TEXT           some text drawn on the screen contains TEXT
//   expect-no-text TEXT        no text drawn on the screen contains TEXT
//   wait-text TEXT [SECONDS]   until a text drawn on the screen contains TEXT
//   idcard LINE                a control line to the simulated reader (place, remove)
//   printer LINE               a control line to the simulated printer (state paper_out)
//   scanner LINE               a control line to the simulated scanner (scan TEXT)
//   network up|down            the simulated network: the reference central comes and goes
//   wait-delivered [SECONDS]   until the central has accepted every stored application
//   sleep MS
//   mark FILE                  create FILE (tells a test where the script is)
//   await FILE [SECONDS]       until FILE exists (a test says go on)
//   close-window               what a window manager's close (Alt+F4) sends: SDL_QUIT
//   keys TEXT                  TEXT typed on a physical keyboard (the counter reads one)
//   key enter|backspace|escape a named key pressed on it
//   hold top-left|top-right MS a finger held still in that corner for MS, then lifted
//                              (the service gesture: hold top-left 3200, hold top-right 3200)
//   quit
// "{today}" is replaced by the local date (YYYYMMDD), as in receipt numbers; "{enrol_qr}" by
// the simulated terminal's enrolment QR payload (kiosk --sim).
// Lines starting with # are comments. A step that times out fails the
// script: the kiosk saves a screenshot "<NN>-failed.png" and exits with 3.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "session/view.h"
#include "touch.h"

namespace bianmin::ui {

class Automation {
 public:
  // `placeholders`: words replaced in every line (e.g. {enrol_qr} by the
  // simulated terminal's enrolment QR payload).
  static Result<Automation> load(const std::string& path, const std::string& screenshot_dir,
                                 const std::vector<std::pair<std::string, std::string>>& placeholders = {});

  struct Env {
    std::string screen;  // the role's screen key (view.h, or clerk_inputs.h at a counter)
    const Touch& touch;
    const std::vector<std::string>& texts;  // drawn in the last frame
    uint64_t frames;                        // frames rendered so far
    std::function<Result<std::string>(const std::string&)> idcard;
    std::function<Status(const std::string&)> printer;
    std::function<Status(const std::string&)> scanner;
    std::function<Status(const std::string&)> network;
    int64_t pending = 0, delivered = 0;
    bool settling = false;  // the glyph atlas is being rebuilt (elder mode, new catalogue)
    std::string service_screen = "closed";  // service_screen_key() of service mode
    float width = 0;                        // the screen, in pixels
    // Screens the role passed through since the last step, oldest first: a
    // receipt printed at once can leave its screen before a frame shows it.
    std::vector<std::string> passed = {};
  };
  struct Action {
    bool tap = false;
    bool press = false, release = false;  // a finger held down at x, y; lifted
    float x = 0, y = 0;
    std::string screenshot;  // path, when a screenshot of the next frame is wanted
    bool redraw = false;     // render a frame even if nothing changed
    bool quit = false;
    bool close_window = false;  // push SDL_QUIT, as Alt+F4 does
    std::string keys;           // typed on a physical keyboard (SDL text input)
    std::string key;            // a named key pressed: enter, backspace, escape
    int exit_code = 0;
  };
  // Advances as far as it can now; call once per loop iteration.
  Action step(const Env& env);
  bool done() const { return pc_ >= lines_.size(); }
  // How soon the loop should come back (it waits on something).
  std::chrono::milliseconds poll_interval() const { return std::chrono::milliseconds(20); }

 private:
  struct Line {
    int number;
    std::string verb, arg;
  };
  Action fail(const std::string& why);
  std::vector<Line> lines_;
  std::size_t pc_ = 0;
  std::string dir_;
  int shot_ = 0;
  std::chrono::steady_clock::time_point started_{};
  bool step_started_ = false;
  std::vector<std::string> visited_;  // screens shown since the current step began
  uint64_t wait_frames_until_ = 0;
  std::string typing_;  // remaining characters of a `type`
  bool holding_ = false;  // a `hold` has put its finger down
  bool hold_timed_ = false;  // … and the kiosk has taken it (frames moved on)
  uint64_t hold_frames_ = 0;
  std::chrono::steady_clock::time_point hold_started_{};
};

}  // namespace bianmin::ui
