// Long-running command-line processes (simulators, daemons) stop cleanly on
// SIGINT, SIGTERM and SIGHUP by reading them from a file descriptor in their
// poll loop instead of from a handler.
#pragma once

namespace bianmin {

// Ignores SIGPIPE, blocks SIGINT/SIGTERM/SIGHUP and returns a signalfd that
// becomes readable when one arrives (-1 if the kernel refused one; the
// signals then stay blocked and the caller relies on its own exit paths).
int termination_signalfd();

}  // namespace bianmin
