// Failed attempts per key (a peer address) in a sliding window: once a key
// has failed `max_failures` times within `window`, it waits until the oldest
// of those failures leaves the window. Used to slow down the guessing of
// one-time enrolment codes (issue 16). In memory: a restart forgets, which
// costs a guesser nothing it did not already have.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace bianmin::sync::central {

class AttemptLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  AttemptLimiter(int max_failures, std::chrono::seconds window) : max_(max_failures), window_(window) {}

  // Seconds `key` must wait before its next attempt; 0 when it may go now.
  int64_t wait_s(const std::string& key, Clock::time_point now = Clock::now());
  void failed(const std::string& key, Clock::time_point now = Clock::now());

 private:
  void forget_expired(std::deque<Clock::time_point>& times, Clock::time_point now) const;

  const int max_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  std::map<std::string, std::deque<Clock::time_point>> failures_;
};

}  // namespace bianmin::sync::central
