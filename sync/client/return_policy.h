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
// its Retry-After spreads the fleet again: the reference central books each
// refusal into a second of its own pace (central/return_schedule.h), and a
// terminal keeps that spread with a narrow jitter that widens only when it
// is refused again and again — for a central that tells everyone the same.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

#include "base/result.h"
#include "client/settings.h"

namespace bianmin::store {
class Store;
}

namespace bianmin::sync {

// The wait before the next health probe while the central is unreachable:
// uniform over [P/2, 3P/2] for P = sync.probe_offline_ms. The mean, and so
// the offline fleet's probing load, stays P; the randomness decorrelates
// terminals that lost the network (or booted) together within a few probes.
//
// A fleet of T terminals probing every P comes back at T/P probes a second,
// each followed by its lanes' requests: more than a central serves once T
// is large. The central can therefore advise a return window W (its health
// answer's return_window_s: fleet × requests each / its capacity, kept in
// the store by the probe). When W > P the terminal probes every W ± P/2,
// after a first wait of P/2 + U[0, W] once it loses the central
// (`just_lost`), so each terminal keeps a phase of its own within W and the
// fleet's first contacts after an outage are spread evenly over W.
Millis offline_probe_delay(const SyncSettings& s, std::mt19937_64& rng, Millis fleet_window = Millis(0),
                           bool just_lost = false);

// The return window last advised by the central (0 when never), and
// keeping a newly advised one (an error when the store cannot: the terminal
// then probes at its own pace, which is safe, but it is worth a log line).
Millis stored_return_window(store::Store& store);
Status remember_return_window(store::Store& store, int64_t return_window_s);

// The wait of a lane once the probe has seen the central again: uniform over
// [0, sync.online_jitter_ms], a short window (see above).
Millis return_delay(const SyncSettings& s, std::mt19937_64& rng);

// The wait after 429/503, the `failures`-th refusal in a row. With a
// Retry-After: that long, plus a uniform share of a window that starts at
// Retry-After's own granularity (sync.backoff_base_ms, 1 s) and doubles with
// each refusal in a row up to the Retry-After itself. A central that spreads
// its Retry-After over a crowd stays spread (each terminal lands within its
// second); a fleet that a central tells one constant number spreads over it
// after a refusal or two. Without one: full-jitter backoff on the failures.
Millis busy_delay(std::optional<Millis> retry_after, int64_t failures, const SyncSettings& s, std::mt19937_64& rng);

}  // namespace bianmin::sync
