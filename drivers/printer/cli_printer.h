// `bianmin print …` and `bianmin sim printer`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/runner.h"

namespace bianmin::drivers::printer {

void add_printer_commands(CLI::App& app, bianmin::cli::Runner& r);

}  // namespace bianmin::drivers::printer

namespace bianmin::drivers {
// The name main.cpp calls, as for every device.
inline void add_printer_commands(CLI::App& app, bianmin::cli::Runner& r) { printer::add_printer_commands(app, r); }
}  // namespace bianmin::drivers
