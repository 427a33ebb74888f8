// A process that holds resident data leaves no copy of its memory behind
// when it crashes (design invariant 2): no core file, and no same-user
// process may read its memory (ptrace, /proc/PID/mem). Root (CAP_SYS_PTRACE)
// still can; on the terminal nothing else runs as root.
#pragma once

#include "base/result.h"

namespace bianmin {

// RLIMIT_CORE 0 (soft and hard, so it cannot be raised again and the
// children inherit it) and PR_SET_DUMPABLE 0: the kernel then writes no
// dump at all, also not to a core_pattern pipe (systemd-coredump), for
// which RLIMIT_CORE is only advisory. An execve resets dumpable; every
// `bianmin` process calls this first thing.
// Error "core_dumps" when the kernel refused either.
Status forbid_core_dumps();

}  // namespace bianmin
