// The idle rule every role on the screen shares: after `limit` without the
// person at the terminal acting, a visible countdown runs for `countdown`,
// then the session ends. The resident's session and the technician's service
// mode use it with their own figures; workers reporting back never count as
// the person acting.
#pragma once

#include <chrono>

namespace bianmin::session {

class IdleTimer {
 public:
  using Clock = std::chrono::steady_clock;

  struct State {
    bool expired = false;
    int countdown = -1;  // seconds left on the visible countdown, -1 while not counting
  };

  // The person touched something (or a tick arrived before any activity).
  void activity(Clock::time_point now) { last_ = now; }
  bool started() const { return last_ != Clock::time_point{}; }
  State at(Clock::time_point now, std::chrono::seconds limit, std::chrono::seconds countdown) const {
    const auto idle = now - last_;
    if (idle < limit) return {};
    const auto left = limit + countdown - idle;
    if (left <= Clock::duration::zero()) return {true, 0};
    return {false, static_cast<int>(std::chrono::ceil<std::chrono::seconds>(left).count())};
  }

 private:
  Clock::time_point last_{};
};

}  // namespace bianmin::session
