// HID POS (usage page 0x8C) and raw keyboard reports through hidraw.
#include <gtest/gtest.h>

#include "scanner/hid_report.h"
#include "scanner/sim_scanner.h"

namespace bianmin::drivers::scanner {
namespace {

TEST(HidDescriptor, PosScannerFieldsAreFoundFromTheDescriptor) {
  auto l = parse_report_descriptor(pos_report_descriptor());
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->kind, HidLayout::Kind::pos);
  EXPECT_EQ(l->pos.report_id, 2);
  EXPECT_EQ(l->pos.data_offset, 4u);
  EXPECT_EQ(l->pos.data_bytes, 56u);
  EXPECT_EQ(l->pos.aim_offset, std::optional<std::size_t>(1));
  EXPECT_EQ(l->pos.length_offset, std::optional<std::size_t>(0));
  EXPECT_EQ(l->pos.continued_offset, std::optional<std::size_t>(62));
}

TEST(HidDescriptor, KeyboardAndGarbage) {
  auto k = parse_report_descriptor(keyboard_report_descriptor());
  ASSERT_TRUE(k) << k.error().message;
  EXPECT_EQ(k->kind, HidLayout::Kind::keyboard);
  EXPECT_EQ(k->keyboard.keys_offset, 2u);
  EXPECT_EQ(k->keyboard.key_count, 6u);
  EXPECT_EQ(parse_report_descriptor(std::string("\x05\x01\x09", 3)).error().code, "hid_descriptor_invalid");
  EXPECT_EQ(parse_report_descriptor(std::string("\xC0", 1)).error().code, "hid_descriptor_invalid");
  // A mouse is not a scanner.
  const std::string mouse("\x05\x01\x09\x02\xA1\x01\x05\x09\x19\x01\x29\x03\x15\x00\x25\x01\x95\x03\x75\x01\x81\x02\xC0", 23);
  EXPECT_EQ(parse_report_descriptor(mouse).error().code, "hid_not_scanner");
}

// Issue 16, item 7: a usage range that ends at the top of the 32-bit space
// looped forever (19 bytes of a hostile "scanner" → bad_alloc).
TEST(HidDescriptor, UsageRangeAtTheTopOf32BitsEnds) {
  const std::string desc("\x05\x8C\x09\x02\xA1\x01"      // POS page, application collection
                         "\x1B\xF0\xFF\xFF\xFF"         // Usage Minimum 0xFFFFFFF0 (4 bytes: full usage)
                         "\x2B\xFF\xFF\xFF\xFF"         // Usage Maximum 0xFFFFFFFF
                         "\x75\x08\x95\x01\x81\x02\xC0",  // 1 × 8 bits, Input (variable)
                         23);
  auto l = parse_report_descriptor(desc);
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().code, "hid_not_scanner");
}

TEST(HidPos, LongCodesAreReassembledFromContinuedReports) {
  const std::string code = "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA&x=" + std::string(60, 'z');
  auto reports = pos_reports(code, "]Q1");
  ASSERT_EQ(reports.size(), 3u);
  for (const HidLayout& l : {*parse_report_descriptor(pos_report_descriptor()), fallback_pos_layout()}) {
    HidPosDecoder d(l.pos);
    for (std::size_t i = 0; i + 1 < reports.size(); ++i) {
      auto r = d.feed(reports[i]);
      ASSERT_TRUE(r);
      EXPECT_FALSE(*r);
    }
    auto r = d.feed(reports.back());
    ASSERT_TRUE(r && *r);
    EXPECT_EQ((*r)->bytes, code);
    EXPECT_EQ((*r)->aim, "]Q1");
    EXPECT_EQ(aim_to_format((*r)->aim), "QRCode");
  }
}

TEST(HidPos, OtherReportsAndShortReports) {
  HidPosDecoder d(fallback_pos_layout().pos);
  auto other = d.feed(std::string("\x05\x01\x02", 3));
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  EXPECT_EQ(d.feed(std::string("\x02\x01", 2)).error().code, "hid_report_invalid");
  EXPECT_EQ(aim_to_format("]E0"), "EAN-13");
  EXPECT_EQ(aim_to_format("]C1"), "Code128");
  EXPECT_EQ(aim_to_format("xyz"), "unknown");
}

TEST(HidKeyboard, RawBootReportsBecomeTheTypedCode) {
  HidKeyboardDecoder kb(parse_report_descriptor(keyboard_report_descriptor())->keyboard);
  KeyDecoder keys;
  std::vector<TypedCode> out;
  auto feed = [&](std::initializer_list<int> bytes) {
    std::string r;
    for (int b : bytes) r += static_cast<char>(b);
    auto ev = kb.feed(r, 0);
    ASSERT_TRUE(ev);
    for (const auto& e : *ev)
      for (auto& c : keys.feed(e)) out.push_back(std::move(c));
  };
  feed({0x02, 0, 0x04, 0, 0, 0, 0, 0});  // shift + a
  feed({0x00, 0, 0x00, 0, 0, 0, 0, 0});
  feed({0x00, 0, 0x1E, 0, 0, 0, 0, 0});  // 1
  feed({0x00, 0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01});  // ErrorRollOver: ignored
  feed({0x00, 0, 0x00, 0, 0, 0, 0, 0});
  feed({0x00, 0, 0x28, 0, 0, 0, 0, 0});  // Enter
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes, "A1");
}

}  // namespace
}  // namespace bianmin::drivers::scanner
