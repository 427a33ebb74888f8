// Property: whatever a name contains (rare hanzi of every CJK extension,
// emoji, ¥, controls, private use, malformed UTF-8), the printer is never
// sent a '?' or a byte sequence its resident font cannot take, and every
// character is either sent as text the font prints exactly or drawn.
#include <gtest/gtest.h>

#include <random>

#include "base/bytes.h"
#include "printer/document.h"
#include "printer/glyphs.h"
#include "printer/render/escpos_parser.h"
#include "printer/render/paper.h"

namespace bianmin::drivers::printer {
namespace {

char32_t random_char(std::mt19937& rng) {
  struct Range { char32_t lo, hi; };
  static const Range ranges[] = {
      {0x20, 0x7E},       {0x00, 0x1F},       {0x80, 0xFF},        {0x4E00, 0x9FFF},   {0x3400, 0x4DBF},
      {0x20000, 0x2A6DF}, {0x2A700, 0x2EBEF}, {0x30000, 0x3134F},  {0x1F300, 0x1FAFF}, {0xE000, 0xF8FF},
      {0xFF00, 0xFFEF},   {0x3000, 0x303F},   {0x0300, 0x036F},    {0x0400, 0x04FF},   {0xF900, 0xFAFF},
      {0x2000, 0x206F},   {0xA5, 0xA5},       {0x10FFF0, 0x10FFFD}};
  const Range& r = ranges[rng() % std::size(ranges)];
  char32_t c = r.lo + static_cast<char32_t>(rng() % (r.hi - r.lo + 1));
  if (c == U'?' || c == U'\n' || (c >= 0xD800 && c <= 0xDFFF)) c = U'王';  // '\n' starts a new line by design
  return c;
}

TEST(NamesProperty, NoQuestionMarkAndOnlyBytesTheFontTakes) {
  auto glyphs = GlyphRenderer::open();
  ASSERT_TRUE(glyphs) << glyphs.error().message;
  std::mt19937 rng(20261122);
  int raster_lines = 0, text_lines = 0;
  for (int i = 0; i < 3000; ++i) {
    std::u32string name;
    const int len = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < len; ++k) name += random_char(rng);
    std::string utf8;
    for (char32_t c : name) utf8_append(utf8, c);
    if (i % 50 == 0) utf8 += "\xff\xc0";  // malformed UTF-8 now and then
    const FontSet set = static_cast<FontSet>(i % 3);
    Profile p;
    p.font = set;
    Document d;
    d.text("申请人：" + utf8);
    auto bytes = encode_document(d, p, glyphs->get());
    ASSERT_TRUE(bytes) << bytes.error().message;

    std::u32string printed;
    bool raster = false;
    for (const Op& op : parse_escpos(*bytes).ops) {
      ASSERT_NE(op.kind, OpKind::unknown);
      if (op.kind == OpKind::raster) raster = true;
      if (op.kind != OpKind::text) continue;
      ASSERT_EQ(op.data.find('?'), std::string::npos) << "name #" << i;
      for (std::size_t k = 0; k < op.data.size(); ++k) {
        const auto b = static_cast<uint8_t>(op.data[k]);
        if (b < 0x80) {
          printed += b;
          continue;
        }
        ASSERT_LT(k + 1, op.data.size()) << "a lone lead byte, name #" << i;
        const auto t = static_cast<uint8_t>(op.data[++k]);
        const auto cp = resident_char(b, t, set);
        ASSERT_TRUE(cp) << "code " << std::hex << int(b) << int(t) << " not in " << font_set_key(set);
        if (set == FontSet::gb2312) {
          ASSERT_TRUE(b >= 0xA1 && b <= 0xF7 && t >= 0xA1 && t <= 0xFE);
        }
        printed += *cp;
      }
    }
    if (raster) {
      ++raster_lines;
    } else {
      ++text_lines;
      // Sent as text: exactly the name, with controls as spaces and ¥ as ￥.
      std::u32string want = U"申请人：";
      for (char32_t c : name) want += printable_form(c);
      ASSERT_EQ(printed, want) << "name #" << i;
    }
    RenderOptions o;
    o.font = set;
    ASSERT_EQ(render_escpos(*bytes, o, nullptr).text_boxes, 0) << "name #" << i;
  }
  // Both paths were exercised.
  EXPECT_GT(raster_lines, 500);
  EXPECT_GT(text_lines, 100);
}

}  // namespace
}  // namespace bianmin::drivers::printer
