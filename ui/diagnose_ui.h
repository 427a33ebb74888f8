// The screen's checks for `bianmin diagnose`: the fonts the kiosk draws
// residents' names with, and the display and its OpenGL renderer.
#pragma once

#include "cli/runner.h"
#include "diagnose/report.h"
#include "store/store.h"

namespace bianmin::ui {

void add_ui_checks(diagnose::Checklist& list, cli::Runner& r);

// What the running kiosk found on its screen (driver, size, GL renderer),
// kept in the store's settings (kiosk.display, with the kiosk's pid): on
// the device the kiosk holds the screen, and `diagnose` — from service mode
// or a console — cannot open it a second time.
Status record_display_facts(store::Store& s, const std::string& facts);

}  // namespace bianmin::ui
