// The SAM_V frame codec against the bytes of devices.md §1.2–1.4.
#include <gtest/gtest.h>

#include <set>

#include "base/bytes.h"
#include "idcard/protocol.h"

namespace bianmin::drivers::idcard {
namespace {

Bytes hex(std::string_view h) {
  std::string clean;
  for (char c : h)
    if (c != ' ') clean += c;
  auto s = from_hex(clean);
  EXPECT_TRUE(s.has_value()) << h;
  return Bytes(s->begin(), s->end());
}

std::string show(const Bytes& b) { return to_hex(std::string_view(reinterpret_cast<const char*>(b.data()), b.size())); }

TEST(IdcardFrames, CommandFramesMatchTheSpecTable) {
  EXPECT_EQ(show(build_command(Command::reset_sam)), show(hex("AAAAAA9669 0003 10FF EC")));
  EXPECT_EQ(show(build_command(Command::sam_status)), show(hex("AAAAAA9669 0003 11FF ED")));
  EXPECT_EQ(show(build_command(Command::read_sam_id)), show(hex("AAAAAA9669 0003 12FF EE")));
  EXPECT_EQ(show(build_command(Command::find_card)), show(hex("AAAAAA9669 0003 2001 22")));
  EXPECT_EQ(show(build_command(Command::select_card)), show(hex("AAAAAA9669 0003 2002 21")));
  EXPECT_EQ(show(build_command(Command::read_base_info)), show(hex("AAAAAA9669 0003 3001 32")));
  EXPECT_EQ(show(build_command(Command::read_appended_address)), show(hex("AAAAAA9669 0003 3003 30")));
  EXPECT_EQ(show(build_command(Command::read_with_fingerprint)), show(hex("AAAAAA9669 0003 3010 23")));
  EXPECT_EQ(show(build_set_uart_baud(115200).value()), show(hex("AAAAAA9669 0003 6000 63")));
  EXPECT_EQ(show(build_set_uart_baud(9600).value()), show(hex("AAAAAA9669 0003 6004 67")));
  EXPECT_EQ(show(build_set_rf_frame_size(0x50)), show(hex("AAAAAA9669 0004 61FF 50 CA")));
  EXPECT_FALSE(build_set_uart_baud(4800));
}

TEST(IdcardFrames, ResponseFramesMatchTheSpecExamples) {
  EXPECT_EQ(show(build_response(0x90)), show(hex("AAAAAA9669 0004 0000 90 94")));
  EXPECT_EQ(show(build_response(0x80)), show(hex("AAAAAA9669 0004 0000 80 84")));
  const uint8_t iin[4] = {0, 0, 0, 0};
  EXPECT_EQ(show(build_response(0x9F, iin)), show(hex("AAAAAA9669 0008 0000 9F 00000000 97")));
  const uint8_t sn[8] = {};
  EXPECT_EQ(show(build_response(0x90, sn)), show(hex("AAAAAA9669 000C 0000 90 0000000000000000 9C")));
  EXPECT_EQ(show(build_response(0x41)), show(hex("AAAAAA9669 0004 0000 41 45")));
}

TEST(IdcardFrames, EveryStatusOfTheTableHasItsOwnName) {
  const std::set<uint8_t> table = {0x90, 0x91, 0x9F, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31,
                                   0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81};
  std::set<std::string> names;
  for (uint8_t s : table) {
    const StatusInfo& info = status_info(s);
    EXPECT_EQ(info.sw3, s);
    EXPECT_NE(std::string(info.code), "unknown_status");
    names.insert(info.code);
  }
  EXPECT_EQ(names.size(), table.size());
  EXPECT_EQ(all_statuses().size(), table.size());
  EXPECT_EQ(std::string(status_info(0x37).code), "unknown_status");  // not in any source
  const Error e = status_error(0x41);
  EXPECT_EQ(e.code, "sam_read_card_failed");
  EXPECT_NE(e.message.find("0x41"), std::string::npos);
  EXPECT_NE(e.message.find("读证/卡操作失败"), std::string::npos);
  EXPECT_EQ(status_error(0x80).code, "sam_find_card_failed");
  EXPECT_NE(status_error(0x33, 0x6A, 0x82).message.find("6A 82"), std::string::npos);
  EXPECT_TRUE(is_success(0x9F));
  EXPECT_FALSE(is_success(0x80));
}

TEST(IdcardFrames, CommandCodesRoundTrip) {
  for (Command c : {Command::reset_sam, Command::sam_status, Command::read_sam_id, Command::find_card,
                    Command::select_card, Command::read_base_info, Command::read_appended_address,
                    Command::read_with_fingerprint, Command::set_rf_frame_size}) {
    const CommandCode k = command_code(c);
    EXPECT_EQ(command_from_code(k.cmd, k.para), c);
  }
  EXPECT_EQ(command_from_code(0x60, 0x03), Command::set_uart_baud);
  EXPECT_FALSE(command_from_code(0x30, 0x05));  // "read card MID": unconfirmed, not spoken
  EXPECT_EQ(baud_of_para(4), 9600);
  EXPECT_FALSE(baud_of_para(5));
}

Bytes sample_response() {
  Bytes data(300);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  data[10] = 0xAA;  // preamble-like bytes inside the data must not confuse the parser
  data[11] = 0xAA;
  data[12] = 0xAA;
  data[13] = 0x96;
  data[14] = 0x69;
  return build_response(0x90, data);
}

TEST(IdcardParser, AFrameSplitAtEveryByteBoundaryParses) {
  const Bytes f = sample_response();
  for (std::size_t cut = 0; cut <= f.size(); ++cut) {
    ResponseParser p;
    p.feed(std::span<const uint8_t>(f).first(cut));
    auto first = p.next();
    if (cut < f.size()) {
      EXPECT_FALSE(first.has_value()) << cut;
    }
    p.feed(std::span<const uint8_t>(f).subspan(cut));
    auto r = first ? std::move(first) : p.next();
    ASSERT_TRUE(r.has_value()) << cut;
    ASSERT_TRUE(*r) << cut;
    EXPECT_EQ((*r)->sw3, 0x90);
    EXPECT_EQ((*r)->data.size(), 300u);
  }
}

TEST(IdcardParser, ByteByByte) {
  const Bytes f = sample_response();
  ResponseParser p;
  int frames = 0;
  for (uint8_t b : f) {
    p.feed(std::span<const uint8_t>(&b, 1));
    while (auto r = p.next()) {
      ASSERT_TRUE(*r);
      ++frames;
    }
  }
  EXPECT_EQ(frames, 1);
}

TEST(IdcardParser, GarbageBeforeThePreambleIsSkipped) {
  // Includes a partial preamble (AA AA, AA AA AA 96) that goes nowhere.
  Bytes in = hex("00 FF 13 AA AA 42 AA AA AA 96 11 AA");
  const Bytes f = build_response(0x9F, std::vector<uint8_t>{0, 0, 0, 0});
  in.insert(in.end(), f.begin(), f.end());
  ResponseParser p;
  p.feed(in);
  auto r = p.next();
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->sw3, 0x9F);
  EXPECT_EQ(p.garbage_skipped(), 12u);
  EXPECT_FALSE(p.next());
}

TEST(IdcardParser, BadChecksumIsAnErrorAndTheNextFrameStillParses) {
  Bytes bad = build_response(0x90);
  bad.back() ^= 1;
  const Bytes good = build_response(0x80);
  Bytes in = bad;
  in.insert(in.end(), good.begin(), good.end());
  ResponseParser p;
  p.feed(in);
  auto r1 = p.next();
  ASSERT_TRUE(r1.has_value());
  ASSERT_FALSE(*r1);
  EXPECT_EQ(r1->error().code, "frame_checksum");
  auto r2 = p.next();
  ASSERT_TRUE(r2 && *r2);
  EXPECT_EQ((*r2)->sw3, 0x80);
}

TEST(IdcardParser, ImpossibleLengthsAreRejected) {
  for (const char* h : {"AAAAAA9669 0000", "AAAAAA9669 0003", "AAAAAA9669 FFFF", "AAAAAA9669 1001"}) {
    ResponseParser p;
    p.feed(hex(h));
    auto r = p.next();
    ASSERT_TRUE(r.has_value()) << h;
    ASSERT_FALSE(*r) << h;
    EXPECT_EQ(r->error().code, "frame_length") << h;
  }
  // Commands need CMD Para CHK at least.
  CommandParser c;
  c.feed(hex("AAAAAA9669 0002 10 12"));
  auto r = c.next();
  ASSERT_TRUE(r && !*r);
  EXPECT_EQ(r->error().code, "frame_length");
}

TEST(IdcardParser, AFrameHiddenInADamagedOneIsFound) {
  // A frame whose tail was lost: its length swallows the next real frame.
  Bytes in = hex("AAAAAA9669 0010 0000 90");  // claims 16 bytes, has 3
  const Bytes good = build_response(0x9F, std::vector<uint8_t>{1, 2, 3, 4});
  in.insert(in.end(), good.begin(), good.end());
  in.resize(in.size() + 8, 0x00);  // enough to complete the bogus length
  ResponseParser p;
  p.feed(in);
  bool found = false;
  for (int i = 0; i < 4; ++i) {
    auto r = p.next();
    if (!r) break;
    if (*r && (*r)->sw3 == 0x9F) found = true;
  }
  EXPECT_TRUE(found);
}

TEST(IdcardParser, BackToBackFramesAndCommands) {
  Bytes in = build_response(0x90);
  const Bytes b = build_response(0x91);
  in.insert(in.end(), b.begin(), b.end());
  ResponseParser p;
  p.feed(in);
  EXPECT_EQ((*p.next())->sw3, 0x90);
  EXPECT_EQ((*p.next())->sw3, 0x91);
  EXPECT_FALSE(p.next());

  CommandParser c;
  c.feed(build_set_rf_frame_size(0x50));
  auto cf = c.next();
  ASSERT_TRUE(cf && *cf);
  EXPECT_EQ((*cf)->cmd, 0x61);
  EXPECT_EQ((*cf)->para, 0xFF);
  ASSERT_EQ((*cf)->data.size(), 1u);
  EXPECT_EQ((*cf)->data[0], 0x50);
}

TEST(IdcardParser, EndlessNoiseDoesNotGrowTheBuffer) {
  ResponseParser p;
  Bytes noise(100000, 0x42);
  p.feed(noise);
  EXPECT_FALSE(p.next());
  EXPECT_EQ(p.garbage_skipped(), noise.size());
  EXPECT_FALSE(p.in_frame());
}

}  // namespace
}  // namespace bianmin::drivers::idcard
