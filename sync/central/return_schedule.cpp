#include "central/return_schedule.h"

#include <algorithm>

namespace bianmin::sync::central {

namespace {
int64_t whole_seconds(ReturnSchedule::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
}  // namespace

ReturnSchedule::ReturnSchedule(int min_retry_after_s) : min_s_(std::clamp<int64_t>(min_retry_after_s, 1, kMaxSeconds)) {}

void ReturnSchedule::roll(int64_t s) {
  if (s <= second_) return;  // (a clock read before the lock may lag a little)
  // A full second that turned requests away measured the pace: what was
  // served in it is what the central serves while saturated. A faster
  // second raises the pace at once; a slower one (the crowd came or went
  // within it) lowers it halfway only.
  if (s == second_ + 1 && rejected_now_ > 0 && served_now_ > 0)
    pace_ = std::max(served_now_, (pace_ + served_now_ + 1) / 2);
  const int64_t gone = s - second_;
  if (second_ < 0 || gone >= static_cast<int64_t>(booked_.size()))
    booked_.clear();
  else
    booked_.erase(booked_.begin(), booked_.begin() + gone);
  served_now_ = rejected_now_ = 0;
  second_ = s;
}

int64_t ReturnSchedule::current_pace(Clock::time_point now, int64_t s) const {
  if (pace_ > 0) return pace_;
  // Never saturated for a full second yet (the first second of a crowd):
  // the rate served so far in this one, over at least a fifth of a second.
  const auto into = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() - s * 1000;
  return std::max<int64_t>(1, served_now_ * 1000 / std::max<int64_t>(200, into));
}

void ReturnSchedule::served(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  roll(whole_seconds(now));
  ++served_now_;
}

int64_t ReturnSchedule::rejected(Clock::time_point now) {
  const int64_t s = whole_seconds(now);
  std::lock_guard<std::mutex> lock(mu_);
  roll(s);
  ++rejected_now_;
  const int64_t pace = current_pace(now, s);
  if (booked_.size() < static_cast<std::size_t>(kMaxSeconds + 1)) booked_.resize(kMaxSeconds + 1, 0);
  int64_t ahead = min_s_;
  while (ahead < kMaxSeconds && booked_[ahead] >= pace) ++ahead;
  ++booked_[ahead];
  return ahead;
}

int64_t ReturnSchedule::return_window_s(int64_t terminals, int64_t requests, int64_t capacity_per_s) const {
  const int64_t capacity = capacity_per_s > 0 ? capacity_per_s : pace();
  if (capacity <= 0 || terminals <= 0 || requests <= 0) return 0;
  const int64_t work = std::min<int64_t>(terminals, 1'000'000) * std::min<int64_t>(requests, 1000);
  return std::min((work + capacity - 1) / capacity, kMaxWindowSeconds);
}

int64_t ReturnSchedule::pace() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pace_;
}

}  // namespace bianmin::sync::central
