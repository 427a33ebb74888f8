// Serial scanners: record suffixes as vendors configure them.
#include <gtest/gtest.h>

#include "scanner/serial_framer.h"

namespace bianmin::drivers::scanner {
namespace {

std::vector<std::string> frame(SerialFramer& f, std::string_view bytes, int64_t t) {
  std::vector<std::string> out;
  for (auto& c : f.feed(bytes, t)) out.push_back(c.bytes);
  return out;
}

TEST(SerialFramer, LineSuffixesAcceptCrLfAndCrlf) {
  SerialFramer f(*Suffix::parse("cr"));
  EXPECT_EQ(frame(f, "6901234567892\r\nK03-20261122-0042\r", 0),
            (std::vector<std::string>{"6901234567892", "K03-20261122-0042"}));
  EXPECT_EQ(frame(f, "abc", 1000), std::vector<std::string>{});
  EXPECT_EQ(frame(f, "def\n", 2000), std::vector<std::string>{"abcdef"});
}

TEST(SerialFramer, TabUserByteAndNone) {
  SerialFramer tab(*Suffix::parse("tab"));
  EXPECT_EQ(frame(tab, "a\r\nb\tc\t", 0), (std::vector<std::string>{"a\r\nb", "c"}));
  SerialFramer etx(*Suffix::parse("0x03"));
  EXPECT_EQ(frame(etx, "xy\x03", 0), std::vector<std::string>{"xy"});
  SerialFramer none(*Suffix::parse("none"), 50'000);
  EXPECT_TRUE(frame(none, "12345", 0).empty());
  EXPECT_FALSE(none.poll(10'000));
  auto c = none.poll(60'000);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->bytes, "12345");
  EXPECT_TRUE(c->by_timeout);
  // A missing suffix still ends the code at the next burst.
  SerialFramer cr(*Suffix::parse("cr"), 50'000);
  EXPECT_TRUE(frame(cr, "first", 0).empty());
  EXPECT_EQ(frame(cr, "second\r", 200'000), (std::vector<std::string>{"first", "second"}));
}

TEST(SerialFramer, SuffixNamesAndLimits) {
  EXPECT_FALSE(Suffix::parse("semicolon"));
  EXPECT_FALSE(Suffix::parse("0xZZ"));
  EXPECT_EQ(Suffix::parse("0x0d")->name(), "0x0D");
  EXPECT_EQ(Suffix::parse("crlf")->bytes(), "\r\n");
  SerialFramer f(*Suffix::parse("cr"), 100'000, 8);
  auto out = f.feed("0123456789ABCDEF\r", 0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes, "01234567");
  EXPECT_TRUE(out[0].truncated);
}

}  // namespace
}  // namespace bianmin::drivers::scanner
