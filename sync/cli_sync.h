// The terminal-side commands of sync/: `bianmin syncd`, `bianmin enroll`,
// `bianmin sync status|progress|wake`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/runner.h"

namespace bianmin::sync {

void add_sync_commands(CLI::App& app, bianmin::cli::Runner& r);

}  // namespace bianmin::sync
