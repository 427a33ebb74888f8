// Running one of our own commands (or any program) to its end from a
// process that has threads: posix_spawn, so nothing runs between fork and
// exec that could take a lock another thread held; stdout and stderr
// collected; a deadline after which the child is terminated (SIGTERM, then
// SIGKILL), so a caller never hangs on it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/result.h"

namespace bianmin {

struct ChildResult {
  int exit_code = -1;  // -1: killed by a signal (or by the deadline)
  bool timed_out = false;
  std::string out, err;
};

struct ChildOptions {
  std::chrono::milliseconds timeout{30000};
  std::string stdin_text;                // written to the child's stdin, then closed
  std::size_t max_output = 4u << 20;     // per stream; the rest is dropped
};

// Errors only when the program could not be started at all. A program
// named without a '/' is looked up in PATH.
Result<ChildResult> run_child(const std::vector<std::string>& argv, const ChildOptions& options = {});

// This executable's path (/proc/self/exe), for running our own commands.
Result<std::string> self_executable();

}  // namespace bianmin
