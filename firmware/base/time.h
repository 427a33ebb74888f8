// Wall-clock formatting in the terminal's local time zone (Asia/Shanghai on a
// device), RFC 3339 with offset as the central interface requires.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bianmin::time {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// "2026-11-22T09:30:00+08:00"
std::string format_rfc3339(TimePoint t);
// "2026-11-22T09:30:00.123+08:00"
std::string format_rfc3339_millis(TimePoint t);
std::string now_rfc3339();
std::string now_rfc3339_millis();
// "20261122" in local time.
std::string local_date_compact(TimePoint t);
// Minutes since local midnight (0–1439).
int local_minute_of_day(TimePoint t);
// Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)". Returns nullopt on bad input
// and on a time the clock cannot hold (before 1677-09-21T00:12:44Z or after
// 2262-04-11T23:47:16.854775807Z with libstdc++'s nanosecond clock).
std::optional<TimePoint> parse_rfc3339(std::string_view text);
// True when text is a real calendar date "YYYY-MM-DD".
bool is_valid_iso_date(std::string_view text);
// Days since 1970-01-01 for a proleptic Gregorian date (no time zone).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

}  // namespace bianmin::time
