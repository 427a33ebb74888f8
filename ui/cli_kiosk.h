// `bianmin kiosk`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/runner.h"

namespace bianmin::ui {

void add_kiosk_command(CLI::App& app, cli::Runner& r);

}  // namespace bianmin::ui
