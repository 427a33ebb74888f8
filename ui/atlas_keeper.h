// Keeps the glyph atlas in step with what the screens need — elder mode's
// larger sizes, a new catalogue's characters — without stalling the render
// loop: the atlas is rasterised on a worker while the old one keeps drawing,
// and installed between frames when it arrives through the inbox (a frame
// or two with the previous sizes instead of a quarter-second freeze).
#pragma once

#include <cstdint>
#include <memory>

#include "fonts.h"
#include "workers.h"

namespace bianmin::ui {

class AtlasKeeper {
 public:
  // `fonts` already holds an atlas built for `elder`.
  AtlasKeeper(Fonts& fonts, Inbox& inbox, bool elder);
  ~AtlasKeeper();  // joins the worker: it reads the fonts' mapped files

  // Every frame: the sizes the screens want. Cheap when nothing changes.
  void want(bool elder);
  // The fonts' characters changed (set_characters): rebuild at the wanted sizes.
  void characters_changed();
  // An AtlasReady from the inbox. Installs it if it is still what is wanted
  // (true: redraw); otherwise drops it and starts what is wanted now.
  bool on_ready(AtlasReady& ready);
  // A new atlas is being rasterised (the screens still draw with the old one).
  bool settling() const { return in_flight_; }

 private:
  void start();

  Fonts& fonts_;
  Inbox& inbox_;
  bool installed_elder_, wanted_elder_;
  bool stale_ = false;      // characters changed since the installed/in-flight atlas was prepared
  bool in_flight_ = false;  // one rasterising at a time
  bool failed_ = false;     // the last build for what is wanted failed
  uint64_t generation_ = 0;
  Worker worker_{"atlas"};
};

}  // namespace bianmin::ui
