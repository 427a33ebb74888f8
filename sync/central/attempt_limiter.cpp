#include "central/attempt_limiter.h"

#include <algorithm>

namespace bianmin::sync::central {
namespace {

// Keys tracked at once: a flood of distinct addresses cannot grow the map
// without bound (the oldest-failing keys are dropped first).
constexpr std::size_t kMaxKeys = 4096;

}  // namespace

void AttemptLimiter::forget_expired(std::deque<Clock::time_point>& times, Clock::time_point now) const {
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
}

int64_t AttemptLimiter::wait_s(const std::string& key, Clock::time_point now) {
  if (max_ <= 0) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  forget_expired(it->second, now);
  if (static_cast<int>(it->second.size()) < max_) return 0;
  const auto left = it->second.front() + window_ - now;
  return std::max<int64_t>(1, std::chrono::ceil<std::chrono::seconds>(left).count());
}

void AttemptLimiter::failed(const std::string& key, Clock::time_point now) {
  if (max_ <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_.size() >= kMaxKeys && !failures_.count(key)) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      forget_expired(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= kMaxKeys) {
      auto oldest = std::min_element(failures_.begin(), failures_.end(),
                                     [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
      failures_.erase(oldest);
    }
  }
  auto& times = failures_[key];
  forget_expired(times, now);
  times.push_back(now);
  // Only the last max_ failures decide the wait.
  while (static_cast<int>(times.size()) > max_) times.pop_front();
}

}  // namespace bianmin::sync::central
