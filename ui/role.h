// Who has the screen of this terminal: the resident at a self-service
// kiosk (resident_role.h) or the window clerk at a counter (counter_role.h).
// The kiosk's loop (kiosk.cpp) owns what every role uses — the window, the
// fonts, the Shell's workers and devices, service mode; a role owns its
// session state machine, draws its screens, and turns what the workers and
// devices report into its session's inputs.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "catalog/model.h"
#include "screens/screens.h"
#include "session/clerk_inputs.h"
#include "session/inputs.h"
#include "session/voice_policy.h"
#include "widgets.h"

namespace bianmin::ui {

class Shell;
class Speaker;

// What a role may ask of the kiosk.
struct RoleHost {
  Shell& shell;
  // The session ended or the counter locked: every copy of the person's
  // data outside the session goes (the editor, the input method, glyphs,
  // device queues, the preview).
  std::function<void()> wipe_all;
  // Voice guidance (speaker.h), and when it speaks (voice.* settings).
  Speaker* speaker = nullptr;
  session::VoicePolicy voice;
};

class Role {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~Role() = default;

  virtual void set_catalog(const catalog::Catalog* catalog) = 0;
  // An event from the Shell's workers or the devices.
  virtual void feed(session::Input in) = 0;
  // An event only the counter's worker sends.
  virtual void feed(session::ClerkInput in) = 0;
  // A code the scanner read, as read (wiped once routed).
  virtual void code(std::string raw) = 0;
  // A finger (or the mouse) came down somewhere.
  virtual void touched() = 0;
  // Once a second; true when something on the screen changed.
  virtual bool tick(Clock::time_point now) = 0;

  virtual void begin_frame(Ui& ui, ImDrawList* dl, const Metrics& m, bool record_texts) const = 0;
  virtual void draw(ScreenContext& c, Rect full) = 0;
  // What the screens emitted this frame, into the session.
  virtual void take_intents(Ui& ui) = 0;

  virtual bool elder() const = 0;
  // The document camera's live picture is on the screen.
  virtual bool wants_preview() const = 0;
  // Nobody is being served: the technician's service gesture may open.
  virtual bool idle() const = 0;
  // The screen's key, as automation scripts wait for it.
  virtual std::string screen_key() const = 0;
};

}  // namespace bianmin::ui
