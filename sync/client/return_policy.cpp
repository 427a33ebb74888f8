#include "client/return_policy.h"

#include <algorithm>
#include <string>

#include "store/store.h"

namespace bianmin::sync {

namespace {
constexpr const char* kReturnWindowKey = "central.return_window_s";
}

Millis offline_probe_delay(const SyncSettings& s, std::mt19937_64& rng, Millis fleet_window, bool just_lost) {
  const Millis p = s.probe_offline;
  if (fleet_window <= p) return p / 2 + uniform_delay(p, rng);
  if (just_lost) return p / 2 + uniform_delay(fleet_window, rng);
  return fleet_window - p / 2 + uniform_delay(p, rng);
}

Millis stored_return_window(store::Store& store) {
  auto v = store.setting(kReturnWindowKey);
  if (!v || !*v) return Millis(0);
  return Millis(std::clamp<int64_t>(std::atoll((*v)->c_str()), 0, 3600) * 1000);
}

Status remember_return_window(store::Store& store, int64_t return_window_s) {
  if (stored_return_window(store) == Millis(return_window_s * 1000)) return {};
  return store.set_setting(kReturnWindowKey, std::to_string(return_window_s));
}

Millis return_delay(const SyncSettings& s, std::mt19937_64& rng) { return uniform_delay(s.online_jitter, rng); }

Millis busy_delay(std::optional<Millis> retry_after, int64_t failures, const SyncSettings& s, std::mt19937_64& rng) {
  if (!retry_after) return full_jitter(std::max<int64_t>(0, failures - 1), s.backoff_base, s.backoff_cap, rng);
  const Millis wait = std::max(*retry_after, Millis(0));  // honoured as given (spec: Transport)
  // The window: Retry-After's own granularity (sync.backoff_base_ms, 1 s)
  // at the first refusal, doubling with each refusal in a row, at most the
  // Retry-After itself.
  const Millis widest = std::max(wait, s.backoff_base);
  const int64_t doublings = std::clamp<int64_t>(failures - 1, 0, 30);
  const Millis window = s.backoff_base.count() > (widest.count() >> doublings)
                            ? widest
                            : Millis(s.backoff_base.count() << doublings);
  return wait + uniform_delay(window, rng);
}

}  // namespace bianmin::sync
