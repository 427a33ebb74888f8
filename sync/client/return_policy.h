// How a terminal comes back to the central after an outage without arriving
// in step with the rest of its fleet (issue 13). syncd's probe and lanes use
// these functions, and `bench_sync stampede` drives a simulated fleet with
// the very same ones, so what the benchmark measures is the daemon's policy.
//
// The spreading comes from the probe: while the central is unreachable each
// terminal probes at random moments, so across a fleet the moments at which
// terminals see the central again are spread evenly over one probe interval
// — and the lanes then go almost at once. A second wide random wait on top
// would not spread the fleet further: the sum of two uniform delays is a
// triangle whose peak is twice its mean. When the central is still too busy,
// its Retry-After spreads the fleet again, over a window as long as the wait.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

#include "client/settings.h"

namespace bianmin::sync {

// The wait before the next health probe while the central is unreachable:
// uniform over [P/2, 3P/2] for P = sync.probe_offline_ms. The mean, and so
// the offline fleet's probing load, stays P; the randomness decorrelates
// terminals that lost the network (or booted) together within a few probes.
Millis offline_probe_delay(const SyncSettings& s, std::mt19937_64& rng);

// The wait of a lane once the probe has seen the central again: uniform over
// [0, sync.online_jitter_ms], a short window (see above).
Millis return_delay(const SyncSettings& s, std::mt19937_64& rng);

// The wait after 429/503. With a Retry-After: that long, plus a uniform
// share of a window as long again (at least sync.backoff_base_ms), so that a
// fleet told the same number comes back spread over it rather than in the
// same second. Without one: full-jitter backoff on the consecutive failures.
Millis busy_delay(std::optional<Millis> retry_after, int64_t failures, const SyncSettings& s, std::mt19937_64& rng);

}  // namespace bianmin::sync
