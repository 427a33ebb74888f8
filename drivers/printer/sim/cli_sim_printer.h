// `bianmin sim printer`: the simulated printer as a process.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/runner.h"

namespace bianmin::drivers::printer {

// Adds `printer` under the `sim` command (created when no other device
// has created it yet).
void add_sim_printer_command(CLI::App& app, bianmin::cli::Runner& r);

}  // namespace bianmin::drivers::printer
