// The technician's service mode inside the kiosk: the gesture that asks for
// it, the service session (session/service_session.h), the shell that
// carries out its effects, and the screens' own UI state. The kiosk routes
// touches, card events, scanned codes and preview frames here while service
// mode is open, and draws service_screens.h instead of the resident's.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "screens/screens.h"
#include "service_shell.h"
#include "session/service_gesture.h"
#include "session/service_session.h"

namespace bianmin::ui {

class ServiceMode {
 public:
  using Clock = std::chrono::steady_clock;
  ServiceMode(ServiceShellOptions options, Shell& shell, Inbox& inbox);

  bool open() const { return session_.view().open(); }
  const session::ServiceView& view() const { return session_.view(); }
  Local& local() { return local_; }

  // Touches, in pixels. `resident_idle`: the resident session shows its
  // attract or home screen with nothing of a resident's in it; the gesture
  // counts only then, so no resident's form is ever left under the
  // technician's eyes.
  void touch_down(int finger, float x, float y, bool resident_idle);
  void touch_move(int finger, float x, float y);
  void touch_up(int finger);
  void set_screen(float width, float height, float px_per_mm);
  // Once per loop turn; true when something changed on the screen.
  bool poll(Clock::time_point now);
  std::optional<Clock::time_point> next_deadline() const;

  void feed(session::ServiceInput in);
  // A code the scanner read while service mode is open.
  void code(std::string raw);
  // A preview frame while the camera's test shows: the focus figure.
  void preview(const PreviewFrame& f);

 private:
  ServiceShell shell_;
  session::ServiceSession session_;
  session::ServiceGesture gesture_;
  Local local_;
  Clock::time_point last_measure_{};
};

}  // namespace bianmin::ui
