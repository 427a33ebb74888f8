// The pure frame conversion: what sane_read delivered, in every format a
// document scanner sends, to the pipeline's 8-bit image; damaged frames
// give a clear error instead of a wrong page.
#include "docscan/sane_frame.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace bianmin::drivers::docscan {
namespace {

SANE_Parameters params(SANE_Frame f, int depth, int ppl, int bpl, int lines) {
  SANE_Parameters p{};
  p.format = f;
  p.depth = depth;
  p.pixels_per_line = ppl;
  p.bytes_per_line = bpl;
  p.lines = lines;
  p.last_frame = SANE_TRUE;
  return p;
}

// The conversion refused the frame with `code`; its message.
std::string refused(const Result<camera::Image>& r, const char* code) {
  EXPECT_FALSE(r);
  if (r) return "";
  EXPECT_EQ(r.error().code, code) << r.error().message;
  return r.error().message;
}

std::string bytes(std::initializer_list<int> v) {
  std::string s;
  for (int b : v) s.push_back(static_cast<char>(b));
  return s;
}

TEST(SaneFrame, GreyIsCopiedLineByLine) {
  auto im = frame_to_image(params(SANE_FRAME_GRAY, 8, 3, 3, 2), bytes({1, 2, 3, 4, 5, 6}));
  ASSERT_TRUE(im) << im.error().message;
  EXPECT_EQ(im->width, 3);
  EXPECT_EQ(im->height, 2);
  EXPECT_EQ(im->channels, 1);
  EXPECT_EQ(im->at(2, 1), 6);
}

TEST(SaneFrame, RgbKeepsItsChannels) {
  auto im = frame_to_image(params(SANE_FRAME_RGB, 8, 2, 6, 1), bytes({255, 0, 0, 0, 0, 255}));
  ASSERT_TRUE(im) << im.error().message;
  EXPECT_EQ(im->channels, 3);
  EXPECT_EQ(im->at(0, 0, 0), 255);
  EXPECT_EQ(im->at(1, 0, 2), 255);
  EXPECT_EQ(im->at(1, 0, 0), 0);
}

TEST(SaneFrame, PaddingAtTheEndOfOddLinesIsDropped) {
  // 3 RGB pixels = 9 bytes, padded to 11 (backends pad to even or 4).
  std::string data;
  for (int y = 0; y < 3; ++y) {
    for (int i = 0; i < 9; ++i) data.push_back(static_cast<char>(10 * y + i));
    data += "\xEE\xEE";
  }
  auto im = frame_to_image(params(SANE_FRAME_RGB, 8, 3, 11, 3), data);
  ASSERT_TRUE(im) << im.error().message;
  EXPECT_EQ(im->px.size(), 27u);
  EXPECT_EQ(im->at(0, 2, 0), 20);
  EXPECT_EQ(im->at(2, 2, 2), 28);
  for (uint8_t v : im->px) EXPECT_NE(v, 0xEE);
}

TEST(SaneFrame, LineartOneIsBlackMostSignificantBitFirst) {
  // 10 pixels: 1000 0001 | 01xx xxxx (padding bits ignored).
  auto im = frame_to_image(params(SANE_FRAME_GRAY, 1, 10, 2, 1), bytes({0x81, 0x7F}));
  ASSERT_TRUE(im) << im.error().message;
  EXPECT_EQ(im->at(0, 0), 0);
  EXPECT_EQ(im->at(1, 0), 255);
  EXPECT_EQ(im->at(7, 0), 0);
  EXPECT_EQ(im->at(8, 0), 255);
  EXPECT_EQ(im->at(9, 0), 0);
}

TEST(SaneFrame, SixteenBitsKeepTheHighByteInHostOrder) {
  std::string data(4, '\0');
  const uint16_t v[2] = {0xAB12, 0x01FF};
  std::memcpy(data.data(), v, 4);
  auto im = frame_to_image(params(SANE_FRAME_GRAY, 16, 2, 4, 1), data);
  ASSERT_TRUE(im) << im.error().message;
  EXPECT_EQ(im->at(0, 0), 0xAB);
  EXPECT_EQ(im->at(1, 0), 0x01);
}

TEST(SaneFrame, TruncatedDataIsAClearError) {
  const std::string m = refused(frame_to_image(params(SANE_FRAME_GRAY, 8, 4, 4, 3), std::string(10, 'x')), "scanner_frame_invalid");
  EXPECT_NE(m.find("truncated"), std::string::npos) << m;
  EXPECT_NE(m.find("2 of 3 lines"), std::string::npos) << m;
}

TEST(SaneFrame, MoreDataThanAnnouncedIsRefused) {
  refused(frame_to_image(params(SANE_FRAME_GRAY, 8, 2, 2, 1), "abc"), "scanner_frame_invalid");
}

TEST(SaneFrame, UnknownHeightTakesTheWholeLinesThatCame) {
  auto im = frame_to_image(params(SANE_FRAME_GRAY, 8, 2, 2, -1), "abcdef");
  ASSERT_TRUE(im) << im.error().message;
  EXPECT_EQ(im->height, 3);
  const std::string m = refused(frame_to_image(params(SANE_FRAME_GRAY, 8, 2, 2, -1), "abcde"), "scanner_frame_invalid");
  EXPECT_NE(m.find("middle of a line"), std::string::npos) << m;
}

TEST(SaneFrame, ThreePassOneBitColourAndOddDepthsAreRefused) {
  for (SANE_Frame f : {SANE_FRAME_RED, SANE_FRAME_GREEN, SANE_FRAME_BLUE})
    EXPECT_NE(refused(frame_to_image(params(f, 8, 2, 2, 1), "ab"), "scanner_unsupported").find("three-pass"),
              std::string::npos);
  refused(frame_to_image(params(SANE_FRAME_RGB, 1, 8, 3, 1), "abc"), "scanner_unsupported");
  refused(frame_to_image(params(SANE_FRAME_GRAY, 12, 2, 3, 1), "abc"), "scanner_unsupported");
}

TEST(SaneFrame, ParametersThatContradictThemselvesAreRefused) {
  refused(frame_to_image(params(SANE_FRAME_RGB, 8, 4, 11, 1), std::string(11, 'x')), "scanner_frame_invalid");  // needs 12
  refused(frame_to_image(params(SANE_FRAME_GRAY, 8, 0, 0, 1), ""), "scanner_frame_invalid");
  // A header claiming more than any paper is refused before anything is
  // allocated for it.
  refused(frame_to_image(params(SANE_FRAME_GRAY, 8, 16000, 16000, 16000), "x"), "scanner_frame_invalid");
}

}  // namespace
}  // namespace bianmin::drivers::docscan
