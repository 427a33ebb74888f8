#include "central/busy_pacer.h"

#include <algorithm>

namespace bianmin::sync::central {

void BusyPacer::roll(Clock::time_point now) {
  const int64_t s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (s == second_) return;
  // The last full second, or nothing when a whole second went by without a request.
  served_last_ = s == second_ + 1 ? served_now_ : 0;
  rejected_last_ = s == second_ + 1 ? rejected_now_ : 0;
  served_now_ = rejected_now_ = 0;
  second_ = s;
}

void BusyPacer::served(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  roll(now);
  ++served_now_;
}

int64_t BusyPacer::rejected(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  roll(now);
  ++rejected_now_;
  // Seconds the crowd turned away in the last second (and so far in this
  // one) takes at the rate the central served in the last second.
  const int64_t crowd = std::max(rejected_last_, rejected_now_);
  const int64_t rate = std::max<int64_t>(1, std::max(served_last_, served_now_));
  return std::clamp<int64_t>((crowd + rate - 1) / rate, min_s_, std::max(min_s_, kMaxSeconds));
}

}  // namespace bianmin::sync::central
