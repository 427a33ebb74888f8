// `bianmin sim scanner` (the code-scanner simulators). Reading codes is
// `bianmin scan code --scanner …` (camera/cli_scan_code.h).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/runner.h"

namespace bianmin::drivers {

void add_scanner_commands(CLI::App& app, cli::Runner& r);

}  // namespace bianmin::drivers
