#include "client/return_policy.h"

#include <algorithm>

namespace bianmin::sync {

Millis offline_probe_delay(const SyncSettings& s, std::mt19937_64& rng) {
  const Millis p = s.probe_offline;
  return p / 2 + uniform_delay(p, rng);
}

Millis return_delay(const SyncSettings& s, std::mt19937_64& rng) { return uniform_delay(s.online_jitter, rng); }

Millis busy_delay(std::optional<Millis> retry_after, int64_t failures, const SyncSettings& s, std::mt19937_64& rng) {
  if (!retry_after) return full_jitter(std::max<int64_t>(0, failures - 1), s.backoff_base, s.backoff_cap, rng);
  const Millis wait = std::max(*retry_after, Millis(0));  // honoured as given (spec: Transport)
  return wait + uniform_delay(std::max(wait, s.backoff_base), rng);
}

}  // namespace bianmin::sync
