// The keyboard-wedge decoder: what a resident's scanned code becomes, no
// matter the desktop keyboard layout.
#include <gtest/gtest.h>
#include <linux/input-event-codes.h>

#include "scanner/key_decoder.h"
#include "scanner/sim_scanner.h"

namespace bianmin::drivers::scanner {
namespace {

std::vector<TypedCode> type(KeyDecoder& d, const std::vector<KeyEvent>& ev) {
  std::vector<TypedCode> out;
  for (const auto& e : ev)
    for (auto& c : d.feed(e)) out.push_back(std::move(c));
  return out;
}

TEST(KeyDecoder, ShiftedAndPlainKeysGiveUsLayoutCharactersEndingAtEnter) {
  KeyDecoder d;
  auto codes = type(d, keys_for_text("https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Ab_9~", true));
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].bytes, "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Ab_9~");
  EXPECT_EQ(codes[0].end, CodeEnd::enter);
  EXPECT_FALSE(d.pending());
}

TEST(KeyDecoder, KeyPositionsNotTheDesktopLayoutDecideTheText) {
  // A scanner "types" KEY_Q for q; on an AZERTY desktop that key is 'a',
  // but the decoder maps positions as the scanner meant them.
  KeyDecoder d;
  auto codes = type(d, {{KEY_Q, 1, 0}, {KEY_Q, 0, 1}, {KEY_Z, 1, 2}, {KEY_Z, 0, 3}, {KEY_ENTER, 1, 4}});
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].bytes, "qz");
}

TEST(KeyDecoder, ACodeWithoutEnterEndsAfterTheInterKeyGap) {
  KeyDecoderOptions o;
  o.inter_key_timeout_us = 50'000;
  KeyDecoder d(o);
  auto ev = keys_for_text("6901234567892", false, 0, 2000);
  EXPECT_TRUE(type(d, ev).empty());
  ASSERT_TRUE(d.deadline_us());
  EXPECT_FALSE(d.poll(ev.back().time_us + 10'000));
  auto c = d.poll(ev.back().time_us + 60'000);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->bytes, "6901234567892");
  EXPECT_EQ(c->end, CodeEnd::timeout);
  // Two codes typed with a pause between them and no Enter are two codes.
  auto a = keys_for_text("111", false, 1'000'000, 1000);
  auto b = keys_for_text("222", true, 1'500'000, 1000);
  a.insert(a.end(), b.begin(), b.end());
  auto codes = type(d, a);
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[0].bytes, "111");
  EXPECT_EQ(codes[1].bytes, "222");
}

TEST(KeyDecoder, ControlCharactersOfGs1PayloadsSurvive) {
  KeyDecoder d;
  const std::string gs1 = std::string("01095012345678903") + '\x1d' + "10ABC";
  auto codes = type(d, keys_for_text(gs1, true));
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].bytes, gs1);
}

TEST(KeyDecoder, AltNumpadCodesTypeChineseAndLatin1) {
  KeyDecoder d;
  auto codes = type(d, keys_for_text("申请 25°C", true));
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].bytes, "申请 25°C");
  EXPECT_EQ(alt_code_to_utf8(45217), "啊");  // GBK B0A1
  EXPECT_EQ(alt_code_to_utf8(65), "A");
  EXPECT_EQ(alt_code_to_utf8(0x80), "€");    // Windows-1252
  EXPECT_EQ(alt_code_to_utf8(0x8100), "\xEF\xBF\xBD");  // not a GBK double byte
}

TEST(KeyDecoder, OverlongCodesAreCutAndFlagged) {
  KeyDecoderOptions o;
  o.max_bytes = 10;
  KeyDecoder d(o);
  auto codes = type(d, keys_for_text(std::string(40, '7'), true));
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].bytes.size(), 10u);
  EXPECT_TRUE(codes[0].truncated);
}

TEST(KeyDecoder, AutorepeatFunctionKeysAndTabSuffix) {
  KeyDecoderOptions o;
  o.tab_ends_code = true;
  KeyDecoder d(o);
  auto codes = type(d, {{KEY_A, 1, 0}, {KEY_A, 2, 1}, {KEY_A, 2, 2}, {KEY_A, 0, 3}, {KEY_F5, 1, 4}, {KEY_TAB, 1, 5}});
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].bytes, "a");
  EXPECT_EQ(codes[0].end, CodeEnd::tab);
}

TEST(KeyDecoder, HidUsagesMapToKeys) {
  EXPECT_EQ(hid_usage_to_key(0x04), KEY_A);
  EXPECT_EQ(hid_usage_to_key(0x27), KEY_0);
  EXPECT_EQ(hid_usage_to_key(0x28), KEY_ENTER);
  EXPECT_EQ(hid_usage_to_key(0x62), KEY_KP0);
  EXPECT_EQ(hid_usage_to_key(0xE1), KEY_LEFTSHIFT);
  EXPECT_EQ(hid_usage_to_key(0x00), 0);
  EXPECT_EQ(key_to_hid_usage(KEY_Z), 0x1D);
}

}  // namespace
}  // namespace bianmin::drivers::scanner
