// `bianmin idcard read|status` and `bianmin sim idcard`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/runner.h"

namespace bianmin::drivers {

void add_idcard_commands(CLI::App& app, cli::Runner& r);

}  // namespace bianmin::drivers
