#include "base/time.h"

#include <cstdio>
#include <ctime>

namespace bianmin::time {
namespace {

std::string format(TimePoint t, bool millis) {
  const auto secs = Clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[48];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (millis) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
    if (ms < 0) ms += 1000;
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(ms));
    out += buf;
  }
  long off = tm.tm_gmtoff / 60;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", sign, off / 60, off % 60);
  out += buf;
  return out;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::string format_rfc3339(TimePoint t) { return format(t, false); }
std::string format_rfc3339_millis(TimePoint t) { return format(t, true); }
std::string now_rfc3339() { return format(Clock::now(), false); }
std::string now_rfc3339_millis() { return format(Clock::now(), true); }

std::string local_date_compact(TimePoint t) {
  const auto secs = Clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y%m%d", &tm);
  return buf;
}

int local_minute_of_day(TimePoint t) {
  const auto secs = Clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return tm.tm_hour * 60 + tm.tm_min;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool is_valid_iso_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s, 0, 4, &y) || !digits(s, 5, 2, &m) || !digits(s, 8, 2, &d)) return false;
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::optional<TimePoint> parse_rfc3339(std::string_view s) {
  if (s.size() < 20 || !is_valid_iso_date(s.substr(0, 10))) return std::nullopt;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  digits(s, 0, 4, &y);
  digits(s, 5, 2, &mo);
  digits(s, 8, 2, &d);
  if (!digits(s, 11, 2, &h) || s[13] != ':' || !digits(s, 14, 2, &mi) || s[16] != ':' ||
      !digits(s, 17, 2, &se))
    return std::nullopt;
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100000000;
    std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      nanos += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;
  int offset_min = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, &om) || oh > 23 || om > 59)
      return std::nullopt;
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset_min * 60;
  // The clock counts its ticks in an int64 (nanoseconds with libstdc++:
  // 1677-09-21 to 2262-04-11). A time outside that is refused like any bad
  // input; converting it overflowed (undefined behaviour) and wrapped.
  static_assert(Clock::period::num == 1 && 1'000'000'000 % Clock::period::den == 0);
  constexpr int64_t kTicksPerSecond = Clock::period::den;
  int64_t ticks = 0;
  if (__builtin_mul_overflow(secs, kTicksPerSecond, &ticks) ||
      __builtin_add_overflow(ticks, nanos / (1'000'000'000 / kTicksPerSecond), &ticks))
    return std::nullopt;
  return TimePoint(Clock::duration(ticks));
}

}  // namespace bianmin::time
