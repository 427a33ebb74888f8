// The one lockout rule for every PIN on the terminal (the technician's
// service PIN, each clerk's PIN): five wrong PINs in a row lock it for five
// minutes, across restarts; while locked, no PIN is even checked. Pure:
// the caller keeps the state where its PIN lives and saves it afterwards.
#pragma once

#include <chrono>
#include <cstdint>

namespace bianmin::access {

inline constexpr int kMaxPinFailures = 5;
inline constexpr std::chrono::seconds kPinLockout{300};

struct LockoutState {
  int64_t failures = 0;      // wrong PINs in a row
  int64_t locked_until = 0;  // unix seconds
};

struct AttemptOutcome {
  int attempts_left = 0;
  int64_t locked_for_s = 0;  // > 0: locked (now, or by this attempt)
};

// Seconds the PIN stays locked from `now`; 0 when a PIN may be checked.
inline int64_t locked_for(const LockoutState& s, int64_t now) {
  return s.locked_until > now ? s.locked_until - now : 0;
}

// Counts one checked PIN.
inline AttemptOutcome record_attempt(LockoutState& s, bool correct, int64_t now) {
  if (correct) {
    s.failures = 0;
    return {kMaxPinFailures, 0};
  }
  AttemptOutcome out;
  if (++s.failures >= kMaxPinFailures) {
    s.locked_until = now + kPinLockout.count();
    s.failures = 0;
    out.locked_for_s = kPinLockout.count();
  }
  out.attempts_left = static_cast<int>(kMaxPinFailures - s.failures);
  return out;
}

}  // namespace bianmin::access
