// Rendered slips: the sample receipts at 384 and 576 dots are compared with
// the golden images under golden/ (looked at by a person; regenerate with
// BIANMIN_UPDATE_GOLDEN=1 and look again), their QR codes decode to the
// query URL with native and with raster QR, and the font covers the rare
// characters of names.
#include <gtest/gtest.h>

#include <cstdlib>

#include "printer/document.h"
#include "printer/glyphs.h"
#include "printer/render/paper.h"
#include "printer_test_support.h"
#include "support/testing.h"

namespace bianmin::drivers::printer {
namespace {

GlyphRenderer& glyphs() {
  static auto g = GlyphRenderer::open();
  if (!g) {
    ADD_FAILURE() << g.error().message;
    std::abort();
  }
  return **g;
}

GrayImage render_receipt(const ReceiptData& r, Profile p, std::string* bytes_out = nullptr) {
  auto bytes = encode_document(compose_receipt(r), p, &glyphs());
  EXPECT_TRUE(bytes) << bytes.error().message;
  if (!bytes) return {};
  if (bytes_out) *bytes_out = *bytes;
  RenderOptions o;
  o.width_dots = p.width_dots;
  o.font = p.font;
  const Paper paper = render_escpos(*bytes, o, &glyphs());
  EXPECT_FALSE(paper.truncated);
  EXPECT_EQ(paper.text_boxes, 0) << "the emulated printer met a code its font lacks";
  EXPECT_EQ(paper.unknown_commands, 0);
  EXPECT_EQ(paper.cuts.size(), 1u);
  return paper_image(paper);
}

// Same size, and at most 0.5 % of the pixels differ (a FreeType or font
// update may move a few edge pixels; a layout change moves far more).
void expect_matches_golden(const GrayImage& img, const std::string& name) {
  const std::string path = std::string(BIANMIN_PRINTER_GOLDEN) + "/" + name;
  if (const char* u = std::getenv("BIANMIN_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    ASSERT_TRUE(write_png(path, img));
    return;
  }
  auto golden = read_png(path);
  ASSERT_TRUE(golden) << golden.error().message << " (BIANMIN_UPDATE_GOLDEN=1 makes it)";
  ASSERT_EQ(golden->width, img.width);
  ASSERT_EQ(golden->height, img.height);
  std::size_t diff = 0;
  for (std::size_t i = 0; i < img.pixels.size(); ++i) diff += golden->pixels[i] != img.pixels[i];
  EXPECT_LE(diff * 200, img.pixels.size()) << diff << " pixels differ from " << path;
}

TEST(Font, CoversRareNameCharactersAndYen) {
  for (char32_t c : {U'𬌗', U'堃', U'䶮', U'￥', U'¥', U'王', U'〇'}) {
    EXPECT_TRUE(glyphs().covers(c)) << std::hex << static_cast<uint32_t>(c);
    const Bitmap& cell = glyphs().cell(c);
    int dots = 0;
    for (auto d : cell.dots) dots += d;
    EXPECT_GT(dots, 20) << "glyph of U+" << std::hex << static_cast<uint32_t>(c) << " is (nearly) empty";
  }
  EXPECT_NE(glyphs().primary_file().find("NotoSansCJK"), std::string::npos) << glyphs().primary_file();
}

TEST(Render, Receipt384MatchesGoldenAndQrDecodes) {
  Profile p;
  std::string bytes;
  const GrayImage img = render_receipt(test::sample_receipt_384(), p, &bytes);
  // The 4-byte surname went as a raster line, never as GB18030 text.
  EXPECT_EQ(bytes.find("\x99\x31"), std::string::npos);
  EXPECT_NE(bytes.find("\x1d\x76\x30"), std::string::npos);
  expect_matches_golden(img, "receipt-384.png");
  EXPECT_EQ(test::decode_qr(img), test::sample_receipt_384().query_url);
}

TEST(Render, Receipt576WithGbkFontMatchesGoldenAndQrDecodes) {
  Profile p;
  p.width_dots = 576;
  p.font = FontSet::gbk;  // 䶮 is not in GBK: its line goes raster
  const GrayImage img = render_receipt(test::sample_receipt_576(), p);
  expect_matches_golden(img, "receipt-576.png");
  EXPECT_EQ(test::decode_qr(img), test::sample_receipt_576().query_url);
}

TEST(Render, RasterQrDecodesTheSame) {
  for (int width : {384, 576}) {
    Profile p;
    p.width_dots = width;
    p.native_qr = false;
    std::string bytes;
    const GrayImage img = render_receipt(test::sample_receipt_384(), p, &bytes);
    EXPECT_EQ(bytes.find("\x1d(k"), std::string::npos) << "no GS ( k when native QR is off";
    EXPECT_EQ(test::decode_qr(img), test::sample_receipt_384().query_url) << width;
  }
}

TEST(Render, QueueTicketAndTestPage) {
  Profile p;
  QueueTicket t{"张掖市甘州区政务服务中心", "社会保障综合窗口", "A012", "2026-11-22T09:40:00+08:00", 5};
  auto bytes = encode_document(compose_queue_ticket(t), p, &glyphs());
  ASSERT_TRUE(bytes);
  const Paper paper = render_escpos(*bytes, {}, &glyphs());
  EXPECT_EQ(paper.cuts.size(), 1u);
  expect_matches_golden(paper_image(paper), "ticket-384.png");

  TestPageInfo info;
  info.model = "Xprinter XP-58IIH";
  info.link = "usb:0416:5011";
  info.printed_at = "2026-11-22T09:00:00+08:00";
  bytes = encode_document(compose_test_page(info), p, &glyphs());
  ASSERT_TRUE(bytes);
  const GrayImage img = paper_image(render_escpos(*bytes, {}, &glyphs()));
  expect_matches_golden(img, "testpage-384.png");
  EXPECT_EQ(test::decode_qr(img), "BIANMIN-TEST usb:0416:5011");
}

TEST(Render, FourByteYenAsTextShowsTheKnownMojibake) {
  // What other software does wrong (devices.md §4): ¥ sent as GB18030 text.
  const std::string stream = "\x1b@\x1c&\x81\x30\x84\x36" "5\n";
  const Paper paper = render_escpos(stream, {}, &glyphs());
  EXPECT_EQ(paper.text_boxes, 2);  // two undecodable lead bytes; '0' and '6' print as digits
}

TEST(Render, PngRoundTrip) {
  testing::TempDir dir;
  GrayImage img;
  img.width = 3;
  img.height = 2;
  img.pixels = {0, 128, 255, 255, 0, 7};
  ASSERT_TRUE(write_png(dir.file("x.png"), img));
  auto back = read_png(dir.file("x.png"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->pixels, img.pixels);
  EXPECT_FALSE(read_png(dir.file("missing.png")));
}

std::string texts(const Document& d) {
  std::string all;
  for (const auto& b : d.blocks)
    if (const auto* t = std::get_if<TextBlock>(&b)) all += t->utf8 + "\n";
  return all;
}

// Issue 13: an item with a promised time of 0 working days is 即办; the
// receipt said "承诺时限：0个工作日".
TEST(Slips, APromisedTimeOfZeroIsPrintedAsJiBan) {
  ReceiptData r = test::sample_receipt_384();
  r.promised_days = 0;
  const std::string zero = texts(compose_receipt(r));
  EXPECT_NE(zero.find("承诺时限：即办"), std::string::npos) << zero;
  EXPECT_EQ(zero.find("：0个工作日"), std::string::npos) << zero;
  r.promised_days = 20;
  EXPECT_NE(texts(compose_receipt(r)).find("承诺时限：20个工作日"), std::string::npos);
}

// Issue 15: accepted at a window, the slip is the service acceptance slip
// (服务受理单) with the clerk and the promised time limit in writing.
TEST(Slips, AWindowAcceptanceIsAServiceAcceptanceSlipNamingTheClerk) {
  ReceiptData r = test::sample_receipt_384();
  r.promised_days = 20;
  const std::string kiosk = texts(compose_receipt(r));
  EXPECT_NE(kiosk.find("受理回执"), std::string::npos);
  EXPECT_EQ(kiosk.find("受理人"), std::string::npos);
  r.accepted_by = "王芳（c007）";
  const std::string window = texts(compose_receipt(r));
  EXPECT_NE(window.find("服务受理单"), std::string::npos) << window;
  EXPECT_EQ(window.find("受理回执号"), std::string::npos);
  EXPECT_NE(window.find("受理人：王芳（c007）"), std::string::npos) << window;
  EXPECT_NE(window.find("承诺办理时限：自受理之日起20个工作日"), std::string::npos) << window;
  r.promised_days = 0;
  EXPECT_NE(texts(compose_receipt(r)).find("承诺办理时限：即办"), std::string::npos);
}

}  // namespace
}  // namespace bianmin::drivers::printer
