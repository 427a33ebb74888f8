// The screen's checks for `bianmin diagnose`: the fonts the kiosk draws
// residents' names with, and the display and its OpenGL renderer.
#pragma once

#include "cli/runner.h"
#include "diagnose/report.h"

namespace bianmin::ui {

void add_ui_checks(diagnose::Checklist& list, cli::Runner& r);

}  // namespace bianmin::ui
