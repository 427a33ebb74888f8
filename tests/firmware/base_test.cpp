#include <gtest/gtest.h>

#include "base/bytes.h"
#include "base/log.h"
#include "base/time.h"
#include "base/uuid.h"

namespace bianmin {
namespace {

TEST(Time, FormatsAndParsesRfc3339WithOffset) {
  auto t = time::parse_rfc3339("2026-11-22T09:30:00+08:00");
  ASSERT_TRUE(t);
  auto z = time::parse_rfc3339("2026-11-22T01:30:00Z");
  ASSERT_TRUE(z);
  EXPECT_EQ(*t, *z);
  auto back = time::parse_rfc3339(time::format_rfc3339(*t));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, *t);
}

TEST(Time, RejectsMalformedTimestamps) {
  for (const char* bad : {"", "2026-11-22", "2026-11-22T09:30:00", "2026-02-30T00:00:00Z",
                          "2026-11-22T25:00:00Z", "2026-11-22T09:30:00+8:00", "2026-11-22T09:30:00Zjunk",
                          "2026-11-22T09:30:00."}) {
    EXPECT_FALSE(time::parse_rfc3339(bad)) << bad;
  }
}

// Issue 13, fuzz_audit_export: a time the clock cannot hold (its
// nanoseconds since 1970 in an int64, so 1677-09-21 to 2262-04-11) is
// refused; the conversion overflowed before (undefined behaviour) and gave
// a time in the 1700s for 2642.
TEST(Time, RefusesTimesTheClockCannotHold) {
  for (const char* far : {"2642-11-22T09:30:00Z", "9999-12-31T23:59:59Z", "2262-04-11T23:47:17Z",
                          "2262-04-11T23:47:16.854775808Z", "1677-09-21T00:12:43Z", "0001-01-01T00:00:00Z",
                          "2262-04-12T07:47:17+08:00", "2262-04-11T23:47:16-01:00"}) {
    EXPECT_FALSE(time::parse_rfc3339(far)) << far;
  }
  // The last nanosecond it holds, and its first whole second, are still times.
  auto last = time::parse_rfc3339("2262-04-11T23:47:16.854775807Z");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->time_since_epoch(), time::TimePoint::duration::max());
  auto first = time::parse_rfc3339("1677-09-21T00:12:44Z");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->time_since_epoch(), std::chrono::seconds(-9223372036));
  // The offset is applied before the range is checked.
  EXPECT_TRUE(time::parse_rfc3339("2262-04-12T07:47:16.5+08:00"));
}

TEST(Time, ValidatesCalendarDates) {
  EXPECT_TRUE(time::is_valid_iso_date("2024-02-29"));
  EXPECT_FALSE(time::is_valid_iso_date("2023-02-29"));
  EXPECT_FALSE(time::is_valid_iso_date("2023-13-01"));
  EXPECT_FALSE(time::is_valid_iso_date("2023-1-01"));
}

TEST(Uuid, IsVersion7AndUnique) {
  const std::string a = make_uuid_v7(), b = make_uuid_v7();
  EXPECT_TRUE(is_uuid(a));
  EXPECT_NE(a, b);
  EXPECT_EQ(a[14], '7');
  EXPECT_TRUE(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b');
  EXPECT_LE(a.substr(0, 8), b.substr(0, 8));  // time-ordered
}

TEST(Utf8, DecodesAndRejectsMalformed) {
  auto cps = utf8_decode("身份证𬌗");
  ASSERT_TRUE(cps);
  ASSERT_EQ(cps->size(), 4u);
  EXPECT_EQ((*cps)[3], U'\U0002C317');
  EXPECT_FALSE(utf8_decode("\xc0\xaf"));      // overlong
  EXPECT_FALSE(utf8_decode("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(utf8_decode("\xe8\xba"));      // truncated
  std::string out;
  utf8_append(out, U'\U0002C317');
  EXPECT_EQ(out, "𬌗");
}

TEST(Hex, RoundTrips) {
  EXPECT_EQ(to_hex("\x01\xab"), "01ab");
  EXPECT_EQ(*from_hex("01AB"), "\x01\xab");
  EXPECT_FALSE(from_hex("0g"));
}

std::string g_captured;
void capture(std::string_view line) { g_captured += line; }

TEST(Log, OneLinePerEventEvenForHostileValues) {
  log::set_sink(&capture);
  log::warn("test", "hello", {{"value", "a\nlevel=error forged"}, {"n", 3}});
  log::set_sink(nullptr);
  EXPECT_EQ(std::count(g_captured.begin(), g_captured.end(), '\n'), 1);
  EXPECT_NE(g_captured.find("value=\"a\\nlevel=error forged\""), std::string::npos);
  EXPECT_NE(g_captured.find("n=3"), std::string::npos);
}

}  // namespace
}  // namespace bianmin

namespace bianmin {
namespace {

TEST(Utf8, LossyDecodingShowsBrokenTextInsteadOfDroppingIt) {
  EXPECT_EQ(utf8_decode_lossy("身份证"), (std::vector<char32_t>{U'身', U'份', U'证'}));
  // A truncated character, an overlong slash, a surrogate: one U+FFFD each,
  // and what follows still decodes.
  EXPECT_EQ(utf8_decode_lossy("\xe8\xba" "A"), (std::vector<char32_t>{0xfffd, U'A'}));
  EXPECT_EQ(utf8_decode_lossy("\xc0\xaf" "B"), (std::vector<char32_t>{0xfffd, U'B'}));
  EXPECT_EQ(utf8_decode_lossy("\xed\xa0\x80" "C"), (std::vector<char32_t>{0xfffd, U'C'}));
  EXPECT_EQ(utf8_decode_lossy("\xff"), (std::vector<char32_t>{0xfffd}));
}

}  // namespace
}  // namespace bianmin
