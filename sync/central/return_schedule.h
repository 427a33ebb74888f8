// The Retry-After of the central's 503s when it sheds load (max_inflight): a
// return schedule. Each turned-away request is given the earliest whole
// second, at least the configured minimum ahead, whose returns booked so far
// are below what the central serves in a second (its pace, measured while it
// was saturated), so a crowd is asked back at the central's own pace rather
// than all in the same second — a constant answer sends the whole crowd back
// together, to be turned away together again. Terminals add a short jitter
// of their own (sync/client/return_policy.h), which keeps a booked second's
// returns spread within it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>

namespace bianmin::sync::central {

class ReturnSchedule {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ReturnSchedule(int min_retry_after_s);

  // Counts one request let through.
  void served(Clock::time_point now = Clock::now());
  // Counts one turned-away request, books its return and gives its
  // Retry-After in whole seconds.
  int64_t rejected(Clock::time_point now = Clock::now());
  // What the central serves per second while saturated, as last measured
  // (0 before it ever was).
  int64_t pace() const;
  // The window over which a fleet of `terminals`, each making `requests` on
  // its return after an outage, should spread that return so that it
  // arrives at the central's pace: `capacity_per_s` when given, else the
  // measured pace(). 0 when neither is known (nothing to advise).
  int64_t return_window_s(int64_t terminals, int64_t requests, int64_t capacity_per_s = 0) const;
  static constexpr int64_t kMaxWindowSeconds = 900;

  // The furthest a return is booked ahead; beyond, the last second takes
  // the overflow.
  static constexpr int64_t kMaxSeconds = 120;

 private:
  void roll(int64_t second);
  int64_t current_pace(Clock::time_point now, int64_t second) const;

  const int64_t min_s_;
  mutable std::mutex mu_;
  int64_t second_ = -1;  // the current whole second since the epoch of Clock
  int64_t served_now_ = 0, rejected_now_ = 0;
  int64_t pace_ = 0;
  std::deque<int64_t> booked_;  // returns booked for the seconds second_, second_ + 1, …
};

}  // namespace bianmin::sync::central
