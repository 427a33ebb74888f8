// Byte-exact tests of the ESC/POS encoder, the GB text rules, the status
// parsers and the renderer's parser: the bytes here are those of
// devices.md §2, not of our own code.
#include <gtest/gtest.h>

#include "base/bytes.h"
#include "printer/document.h"
#include "printer/escpos.h"
#include "printer/gb_text.h"
#include "printer/qr_matrix.h"
#include "printer/render/escpos_parser.h"
#include "printer/sim/sim_printer.h"
#include "printer/status.h"
#include "printer/transport.h"

namespace bianmin::drivers::printer {
namespace {

std::string hex(const std::string& s) { return to_hex(s); }

TEST(EscPos, BasicCommandsAreTheSpecBytes) {
  EscPos e;
  e.init().align(Align::center).bold(true).bold(false).underline(1).size(2, 2).size(1, 1).size(1, 2)
      .chinese(true).chinese(false).newline().feed(3).cut(CutKind::full).cut(CutKind::partial)
      .feed_and_cut(CutKind::partial, 3).status_query(1).status_query(4);
  EXPECT_EQ(hex(e.bytes()),
            "1b40" "1b6101" "1b4501" "1b4500" "1b2d01" "1d2111" "1d2100" "1d2101"
            "1c26" "1c2e" "0a" "1b6403" "1d5600" "1d5601" "1d564203" "100401" "100404");
}

TEST(EscPos, NativeQrMatchesTheWorkedExample) {
  // devices.md §2.2 (python-escpos test, "1234", defaults) with EC level 48.
  EscPos e;
  ASSERT_TRUE(e.qr("1234", 3, QrEc::L));
  EXPECT_EQ(hex(e.bytes()), "1d286b040031413200" "1d286b03003143" "03" "1d286b030031453" "0"
                            "1d286b0700315030" "31323334" "1d286b0300315130");
}

TEST(EscPos, QrDefaultsToLevelMAndRefusesBadInput) {
  EscPos e;
  ASSERT_TRUE(e.qr("https://x.cn/q", 6, QrEc::M));
  EXPECT_NE(hex(e.bytes()).find("1d286b0300314531"), std::string::npos);  // fn 169, 49 = M
  EXPECT_NE(hex(e.bytes()).find("1d286b1100315030"), std::string::npos);  // 14 bytes + 3 = 0x11
  EXPECT_EQ(e.qr("", 6, QrEc::M).error().code, "qr_invalid");
  EXPECT_EQ(e.qr("x", 17, QrEc::M).error().code, "qr_invalid");
  EXPECT_EQ(e.qr(std::string(kQrMaxData + 1, 'a'), 3, QrEc::M).error().code, "qr_invalid");
  const TextBlock t = text_block("x");
  EXPECT_EQ(t.utf8, "x");
}

TEST(EscPos, RasterIsSentInBandsMsbFirst) {
  Bitmap b(10, 5);  // 2 bytes per row
  b.set(0, 0);
  b.set(9, 0);
  b.set(1, 4);
  EscPos e;
  e.raster(b, 2);
  EXPECT_EQ(hex(e.bytes()),
            "1d763000" "0200" "0200" "8040" "0000"
            "1d763000" "0200" "0200" "0000" "0000"
            "1d763000" "0200" "0100" "4000");
}

TEST(GbText, EncodesGb18030AsTheSpecComputes) {
  EXPECT_EQ(hex(gb18030_encode(U'王')), "cdf5");
  EXPECT_EQ(hex(gb18030_encode(U'〇')), "a996");
  EXPECT_EQ(hex(gb18030_encode(0x4DAE)), "fe9f");        // 䶮
  EXPECT_EQ(hex(gb18030_encode(0x20000)), "95328236");   // 𠀀
  EXPECT_EQ(hex(gb18030_encode(0xA5)), "81308436");      // ¥, the "0 6" complaint
  EXPECT_EQ(hex(gb18030_encode(0xFFE5)), "a3a4");        // ￥
}

TEST(GbText, ResidentFontSetsDifferWhereTheSpecSays) {
  EXPECT_TRUE(resident_code(U'王', FontSet::gb2312));
  EXPECT_FALSE(resident_code(U'堃', FontSet::gb2312));  // GBK only
  EXPECT_TRUE(resident_code(U'堃', FontSet::gbk));
  EXPECT_FALSE(resident_code(0x4DAE, FontSet::gbk));    // 䶮: GB18030 2-byte, not GBK
  EXPECT_EQ(resident_code(0x4DAE, FontSet::gb18030_2byte), 0xFE9F);
  for (auto set : {FontSet::gb2312, FontSet::gbk, FontSet::gb18030_2byte}) {
    EXPECT_FALSE(resident_code(0x2C317, set));  // 𬌗: 4-byte everywhere
    EXPECT_FALSE(resident_code(0xA5, set));     // ¥: 4-byte
    EXPECT_FALSE(resident_code(0xE000, set));   // private use
    EXPECT_EQ(resident_code(0xFFE5, set), 0xA3A4);
    EXPECT_EQ(resident_char(0xCD, 0xF5, set), U'王');
  }
  EXPECT_EQ(parse_font_set("gbk"), FontSet::gbk);
  EXPECT_FALSE(parse_font_set("big5"));
}

TEST(GbText, TextLineNeverCarriesControlsAndYenBecomesFullWidth) {
  const std::u32string line = U"A\x1b@\n¥5";
  std::u32string printable;
  for (char32_t c : line) printable += printable_form(c);
  EXPECT_EQ(hex(encode_text_line(printable, FontSet::gb2312)), "41" "20" "40" "20" "a3a4" "35");
}

TEST(Document, TextLinesAndRasterFallback) {
  Profile p;
  Document d;
  d.text("王", Align::center, true, 2, 2);
  auto bytes = encode_document(d, p, nullptr);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(hex(*bytes), "1b40" "1c26" "1b6101" "1b4501" "1d2111" "cdf5" "0a");
  // A line with a 4-byte character needs the raster font.
  Document rare;
  rare.text("𬌗小燕");
  EXPECT_EQ(encode_document(rare, p, nullptr).error().code, "font_missing");
}

TEST(Document, MagnificationIsCappedAndNumbersShrinkToFit) {
  Profile p;  // 384 dots, ×2 at most
  Document d;
  TextBlock t = text_block("K03-20261122-0042", Align::center, true, 4, 4);
  t.shrink_to_fit = true;  // 17 columns × 2 = 34 > 32: width ×1, height stays ×2
  d.blocks.push_back(t);
  auto bytes = encode_document(d, p, nullptr);
  ASSERT_TRUE(bytes);
  EXPECT_NE(hex(*bytes).find("1d2101"), std::string::npos);
  p.width_dots = 576;
  bytes = encode_document(d, p, nullptr);
  EXPECT_NE(hex(*bytes).find("1d2111"), std::string::npos);
}

TEST(Document, WrapsByCellsAndIndents) {
  auto lines = wrap_text(U"办理事项：最低生活保障申请（最低生活保障金给付）", 384, 1, 10);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].size(), 16u);
  EXPECT_EQ(lines[1].substr(0, 10), std::u32string(10, U' '));
  auto words = wrap_text(U"Print the receipt of a stored application please", 192, 1, 0);
  EXPECT_EQ(words[0], U"Print the");
}

TEST(Document, QrTooLargeForThePaperIsRefused) {
  Profile p;
  Document d;
  d.qr(std::string(1000, 'a'));  // version 26: 129 modules with quiet zone, 2 dots each at most
  auto r = encode_document(d, p, nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "qr_invalid");
  d.blocks.clear();
  d.qr(std::string(600, 'a'));  // version 19: 101 modules, 3 dots each
  EXPECT_TRUE(encode_document(d, p, nullptr));
}

TEST(Qr, CapacityTableAgreesWithZxing) {
  for (auto ec : {QrEc::L, QrEc::M, QrEc::Q, QrEc::H}) {
    for (int v = 1; v <= 12; ++v) {
      std::size_t n = 1;
      while (qr_version_for(n + 1, ec) <= v) ++n;  // the capacity of version v
      auto m = qr_matrix(std::string(n, 'a') + "", ec);
      ASSERT_TRUE(m);
      EXPECT_EQ(m->width, qr_modules(v)) << "ec " << int(ec) << " version " << v;
    }
  }
  EXPECT_EQ(qr_version_for(80, QrEc::M), 5);  // the spec's example
}

TEST(Status, DleEotAnswersMapToStates) {
  auto st = interpret_status({0x12, 0x12, 0x12, 0x12});
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, PrinterState::ok);
  EXPECT_TRUE(st->two_way);
  EXPECT_EQ(interpret_status({0x16, 0x12, 0x12, 0x12})->state, PrinterState::ok);  // drawer pin only
  EXPECT_EQ(interpret_status({0x1A, 0x32, 0x12, 0x72})->state, PrinterState::paper_out);
  EXPECT_EQ(interpret_status({0x1A, 0x16, 0x12, 0x12})->state, PrinterState::cover_open);
  EXPECT_EQ(interpret_status({0x12, 0x12, 0x12, 0x1E})->state, PrinterState::paper_low);
  EXPECT_EQ(interpret_status({0x1A, 0x52, 0x1A, 0x12})->state, PrinterState::error);
  EXPECT_EQ(interpret_status({0x1A, 0x12, 0x12, 0x12})->state, PrinterState::offline);
  EXPECT_EQ(interpret_status({0x00, std::nullopt, std::nullopt, std::nullopt}).error().code, "status_invalid");
  EXPECT_FALSE(interpret_status({})->two_way);
  EXPECT_EQ(find_status_byte(std::string("\x00\x12", 2)), 0x12);
  EXPECT_FALSE(find_status_byte(std::string("\x00\x01", 2)));
}

TEST(Status, SimulatorAnswersAreUnderstood) {
  for (auto s : {PrinterState::ok, PrinterState::paper_low, PrinterState::paper_out, PrinterState::cover_open,
                 PrinterState::offline, PrinterState::error}) {
    auto st = interpret_status({sim_status_byte(s, 1), sim_status_byte(s, 2), sim_status_byte(s, 3),
                                sim_status_byte(s, 4)});
    ASSERT_TRUE(st);
    EXPECT_EQ(st->state, s) << state_key(s);
  }
}

TEST(Status, PortStatusAndDeviceId) {
  EXPECT_EQ(interpret_port_status(0x18).state, PrinterState::ok);
  EXPECT_EQ(interpret_port_status(0x38).state, PrinterState::paper_out);
  EXPECT_EQ(interpret_port_status(0x10).state, PrinterState::error);
  EXPECT_EQ(interpret_port_status(0x08).state, PrinterState::offline);
  const std::string id = "MFG:Xprinter;MDL:XP-58IIH;CMD:ESC/POS;";
  const std::string be = std::string{0, static_cast<char>(id.size() + 2)} + id;
  auto d = parse_device_id(be);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->manufacturer, "Xprinter");
  EXPECT_EQ(d->model, "XP-58IIH");
  EXPECT_EQ(d->command_set, "ESC/POS");
  const std::string le = std::string{static_cast<char>(id.size() + 2), 0} + id;
  EXPECT_EQ(parse_device_id(le)->model, "XP-58IIH");
  EXPECT_FALSE(parse_device_id(std::string{0, 60} + id));
}

TEST(Address, PrinterArgumentForms) {
  EXPECT_EQ(parse_printer_address("usb")->kind, PrinterAddress::Kind::usb);
  auto u = parse_printer_address("usb:0416:5011");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->vid, 0x0416);
  EXPECT_EQ(u->pid, 0x5011);
  EXPECT_EQ(describe(*u), "usb:0416:5011");
  EXPECT_EQ(parse_printer_address("dev:/dev/usb/lp0")->path, "/dev/usb/lp0");
  auto t = parse_printer_address("tcp:192.0.2.7:9100");
  EXPECT_EQ(t->host, "192.0.2.7");
  EXPECT_EQ(t->port, 9100);
  EXPECT_EQ(parse_printer_address("file:/tmp/x.bin")->kind, PrinterAddress::Kind::file);
  for (const char* bad : {"", "lp0", "usb:zz:1", "usb:1", "tcp:host", "tcp::9100", "tcp:h:0", "dev:", "smb:x"})
    EXPECT_FALSE(parse_printer_address(bad)) << bad;
}

TEST(Parser, ReadsWhatTheEncoderWrites) {
  EscPos e;
  e.init().chinese(true).align(Align::right).size(2, 1).text("\xcd\xf5 A").newline();
  ASSERT_TRUE(e.qr("abc", 4, QrEc::M));
  Bitmap b(16, 2);
  b.set(3, 1);
  e.raster(b, 256).cut(CutKind::partial).status_query(2);
  const Parsed p = parse_escpos(e.bytes());
  EXPECT_FALSE(p.truncated);
  std::vector<OpKind> kinds;
  for (const auto& op : p.ops) kinds.push_back(op.kind);
  const std::vector<OpKind> want = {OpKind::init, OpKind::chinese_on, OpKind::align, OpKind::size, OpKind::text,
                                    OpKind::lf, OpKind::qr_model, OpKind::qr_module, OpKind::qr_ec,
                                    OpKind::qr_store, OpKind::qr_print, OpKind::raster, OpKind::cut,
                                    OpKind::status_query};
  EXPECT_EQ(kinds, want);
  EXPECT_EQ(p.ops[2].a, 2);
  EXPECT_EQ(p.ops[3].a, 2);
  EXPECT_EQ(p.ops[3].b, 1);
  EXPECT_EQ(p.ops[9].data, "abc");
  EXPECT_EQ(p.ops[11].b, 2);
  EXPECT_EQ(p.ops[11].c, 2);
  EXPECT_TRUE(parse_escpos(std::string("\x1d\x76\x30\x00\x02\x00\x05\x00\x01", 9)).truncated);
}

}  // namespace
}  // namespace bianmin::drivers::printer
