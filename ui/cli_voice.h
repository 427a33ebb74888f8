// `bianmin voice list|say`: the voice guidance's prompts from the command line.
#pragma once

#include "cli/runner.h"

namespace bianmin::ui {

void add_voice_commands(CLI::App& app, cli::Runner& r);

}  // namespace bianmin::ui
