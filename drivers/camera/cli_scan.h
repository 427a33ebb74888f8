// `bianmin scan page|code` and `bianmin sim camera`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/runner.h"

namespace bianmin::drivers {

void add_scan_commands(CLI::App& app, cli::Runner& r);

}  // namespace bianmin::drivers
