// The central's Retry-After when it sheds load: each turned-away request is
// booked into the earliest second (at least the configured least ahead)
// that still has room at the pace the central serves while saturated.
#include "central/return_schedule.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>
#include <vector>

namespace bianmin::sync::central {
namespace {

using Clock = ReturnSchedule::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Clock::time_point t0{seconds(1000)};

// One saturated second: `served` let through and `turned` turned away.
void saturated_second(ReturnSchedule& s, Clock::time_point at, int served, int turned) {
  for (int i = 0; i < served; ++i) s.served(at + milliseconds(i % 1000));
  for (int i = 0; i < turned; ++i) (void)s.rejected(at + milliseconds(999));
}

TEST(ReturnSchedule, AsksACrowdBackAtThePaceTheCentralServes) {
  ReturnSchedule s(2);
  saturated_second(s, t0, 100, 1);  // 100 served while saturated: the pace
  std::map<int64_t, int> told;
  for (int i = 0; i < 1000; ++i) ++told[s.rejected(t0 + seconds(1) + milliseconds(500))];
  EXPECT_EQ(s.pace(), 100);
  // 1000 at 100 per second: 2, 3, … 11 seconds ahead, 100 in each.
  ASSERT_EQ(told.size(), 10u);
  EXPECT_EQ(told.begin()->first, 2);
  EXPECT_EQ(told.rbegin()->first, 11);
  for (const auto& [ahead, n] : told) EXPECT_EQ(n, 100) << ahead;
  // Two seconds later the bookings still hold: a newcomer goes after them
  // (the second 1 + 11 is the last booked one), not into a full second.
  EXPECT_EQ(s.rejected(t0 + seconds(3)), 10);
}

TEST(ReturnSchedule, ALoneRefusalGetsTheLeastAndOldBookingsLapse) {
  ReturnSchedule s(2);
  EXPECT_EQ(s.rejected(t0), 2);
  // The second booked two ahead has room again (the pace, not yet measured,
  // is what was served in the young second): the least again.
  EXPECT_EQ(s.rejected(t0 + seconds(30)), 2);
  ReturnSchedule zero(0);  // a least of 0 would mean the second already under way
  EXPECT_EQ(zero.rejected(t0), 1);
}

TEST(ReturnSchedule, BeforeAFullSaturatedSecondThePaceIsTheRateServedSoFar) {
  ReturnSchedule s(1);
  // Half a second into the first second of a crowd, 150 served: 300/s.
  for (int i = 0; i < 150; ++i) s.served(t0 + milliseconds(i));
  std::map<int64_t, int> told;
  for (int i = 0; i < 900; ++i) ++told[s.rejected(t0 + milliseconds(500))];
  EXPECT_EQ(s.pace(), 0);
  ASSERT_EQ(told.size(), 3u);
  EXPECT_EQ(told[1], 300);
  EXPECT_EQ(told[3], 300);
}

TEST(ReturnSchedule, ThePaceFollowsSaturatedSecondsOnly) {
  ReturnSchedule s(2);
  saturated_second(s, t0, 100, 10);
  saturated_second(s, t0 + seconds(1), 300, 10);
  saturated_second(s, t0 + seconds(2), 100, 10);
  EXPECT_EQ(s.pace(), 300);  // a faster second raises it at once
  s.served(t0 + seconds(3));
  EXPECT_EQ(s.pace(), 200);  // a slower one lowers it halfway
  // A quiet second (nothing turned away) says nothing about the pace.
  for (int i = 0; i < 5; ++i) s.served(t0 + seconds(4) + milliseconds(i));
  (void)s.rejected(t0 + seconds(5));
  EXPECT_EQ(s.pace(), 200);
}

TEST(ReturnSchedule, AdvisesAReturnWindowFromTheFleetAndThePace) {
  ReturnSchedule s(2);
  EXPECT_EQ(s.return_window_s(1000, 4), 0);       // the pace unknown: nothing to advise
  EXPECT_EQ(s.return_window_s(1000, 4, 300), 14);  // a stated capacity: 4000 at 300/s
  saturated_second(s, t0, 250, 10);
  s.served(t0 + seconds(1));
  EXPECT_EQ(s.return_window_s(1000, 4), 16);  // the measured pace, 250/s
  EXPECT_EQ(s.return_window_s(0, 4), 0);
  EXPECT_EQ(s.return_window_s(10'000'000, 4, 1), ReturnSchedule::kMaxWindowSeconds);
}

TEST(ReturnSchedule, NeverFurtherThanTheLimit) {
  ReturnSchedule s(2);
  saturated_second(s, t0, 1, 1);  // a pace of one a second
  int64_t last = 0;
  for (int i = 0; i < 500; ++i) last = s.rejected(t0 + seconds(1));
  EXPECT_EQ(last, ReturnSchedule::kMaxSeconds);
}

TEST(ReturnSchedule, ConcurrentRefusalsAreEachBookedOnce) {
  ReturnSchedule s(2);
  saturated_second(s, t0, 50, 1);
  std::vector<std::map<int64_t, int>> told(4);
  std::vector<std::thread> threads;
  for (auto& mine : told)
    threads.emplace_back([&s, &mine] {
      for (int i = 0; i < 500; ++i) ++mine[s.rejected(t0 + seconds(1) + milliseconds(100))];
    });
  for (auto& t : threads) t.join();
  std::map<int64_t, int> all;
  for (const auto& mine : told)
    for (const auto& [ahead, n] : mine) all[ahead] += n;
  // 2000 refusals at 50 a second: 40 seconds, 2 … 41 ahead, 50 in each.
  ASSERT_EQ(all.size(), 40u);
  for (const auto& [ahead, n] : all) EXPECT_EQ(n, 50) << ahead;
}

}  // namespace
}  // namespace bianmin::sync::central
