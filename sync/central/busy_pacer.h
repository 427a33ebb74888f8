// The Retry-After of the central's 503s when it sheds load (max_inflight):
// at least the configured number of seconds, and more when the crowd turned
// away is larger than what the central serves, so that a fleet that came
// back at once is asked back over as many seconds as serving it takes
// (terminals spread their return over a window as long again, see
// sync/client/return_policy.h). A constant answer sends the whole crowd
// back in the same second, to be turned away again.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace bianmin::sync::central {

class BusyPacer {
 public:
  using Clock = std::chrono::steady_clock;
  explicit BusyPacer(int min_retry_after_s) : min_s_(min_retry_after_s) {}

  void served(Clock::time_point now = Clock::now());
  // Counts one turned-away request and returns its Retry-After in seconds.
  int64_t rejected(Clock::time_point now = Clock::now());

 private:
  void roll(Clock::time_point now);

  static constexpr int64_t kMaxSeconds = 60;
  const int64_t min_s_;
  std::mutex mu_;
  int64_t second_ = -1;  // the current whole second since the epoch of Clock
  int64_t served_now_ = 0, rejected_now_ = 0, served_last_ = 0, rejected_last_ = 0;
};

}  // namespace bianmin::sync::central
