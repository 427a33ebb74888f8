// The central's Retry-After when it sheds load: the configured least, and
// as many seconds as serving the turned-away crowd takes when it is larger.
#include "central/busy_pacer.h"

#include <gtest/gtest.h>

namespace bianmin::sync::central {
namespace {

using Clock = BusyPacer::Clock;
using std::chrono::milliseconds;

TEST(BusyPacer, AsksACrowdBackOverAsManySecondsAsServingItTakes) {
  BusyPacer pacer(2);
  const Clock::time_point t0{std::chrono::seconds(1000)};
  // A quiet second: a lone refusal gets the least.
  EXPECT_EQ(pacer.rejected(t0), 2);
  // The next second: 100 served, 1000 turned away.
  for (int i = 0; i < 100; ++i) pacer.served(t0 + std::chrono::seconds(1) + milliseconds(i));
  int64_t last = 0;
  for (int i = 0; i < 1000; ++i) last = pacer.rejected(t0 + std::chrono::seconds(1) + milliseconds(500));
  EXPECT_EQ(last, 10);  // 1000 at 100 per second
  // Judged on the full second before while the new one is young.
  EXPECT_EQ(pacer.rejected(t0 + std::chrono::seconds(2)), 10);
  // Never more than a minute, whatever the crowd.
  BusyPacer swamped(2);
  for (int i = 0; i < 100000; ++i) last = swamped.rejected(t0);
  EXPECT_EQ(last, 60);
  // After a second without requests the past no longer counts.
  EXPECT_EQ(swamped.rejected(t0 + std::chrono::seconds(5)), 2);
}

}  // namespace
}  // namespace bianmin::sync::central
