// The simulator's protocol engine, byte for byte, without a pty.
#include <gtest/gtest.h>

#include "idcard/card_text.h"
#include "idcard/sim_engine.h"
#include "support/testing.h"

namespace bianmin::drivers::idcard {
namespace {

Bytes ask(SimEngine& e, const Bytes& frame) {
  auto replies = e.feed(frame);
  EXPECT_EQ(replies.size(), 1u);
  return replies.empty() ? Bytes{} : replies[0].bytes;
}

Response parse(const Bytes& b) {
  ResponseParser p;
  p.feed(b);
  auto r = p.next();
  EXPECT_TRUE(r && *r);
  return r && *r ? r->value() : Response{};
}

class SimEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(e.control("load " + testing::source_path("assets/sim/idcard-resident.json")));
  }
  SimEngine e;
};

TEST_F(SimEngineTest, AnswersWithTheSpecFramesExactly) {
  EXPECT_EQ(ask(e, build_command(Command::find_card)), build_response(0x80));  // held, not placed
  ASSERT_TRUE(e.control("place"));
  EXPECT_EQ(ask(e, build_command(Command::find_card)), build_response(0x9F, Bytes{0, 0, 0, 0}));
  EXPECT_EQ(ask(e, build_command(Command::select_card)), build_response(0x90, Bytes(8, 0)));
  const Bytes read = ask(e, build_command(Command::read_base_info));
  EXPECT_EQ(read.size(), 1295u);
  EXPECT_EQ(read[5], 0x05);
  EXPECT_EQ(read[6], 0x08);
  const Response r = parse(read);
  EXPECT_EQ(r.data[0], 0x01);
  EXPECT_EQ(r.data[1], 0x00);
  EXPECT_EQ(r.data[2], 0x04);
  EXPECT_EQ(r.data[3], 0x00);
  const Response addr = parse(ask(e, build_command(Command::read_appended_address)));
  EXPECT_EQ(addr.sw3, 0x90);
  EXPECT_EQ(addr.data.size(), 70u);
  EXPECT_EQ(ask(e, build_command(Command::reset_sam)), build_response(0x90));
  EXPECT_EQ(parse(ask(e, build_command(Command::read_sam_id))).data.size(), 16u);
  EXPECT_EQ(ask(e, build_set_uart_baud(9600).value()), build_response(0x90));
  EXPECT_EQ(ask(e, build_frame(0x60, 0x07)), build_response(0x21));
  EXPECT_EQ(ask(e, build_set_rf_frame_size(0x50)), build_response(0x90));
  EXPECT_EQ(ask(e, build_frame(0x30, 0x05)), build_response(0x21));
}

TEST_F(SimEngineTest, ReadNeedsFindAndSelect) {
  ASSERT_TRUE(e.control("place"));
  EXPECT_EQ(parse(ask(e, build_command(Command::select_card))).sw3, 0x81);
  EXPECT_EQ(parse(ask(e, build_command(Command::read_base_info))).sw3, 0x41);
  ask(e, build_command(Command::find_card));
  EXPECT_EQ(parse(ask(e, build_command(Command::read_base_info))).sw3, 0x41);
}

TEST_F(SimEngineTest, DamagedHostFramesGetTheirStatus) {
  Bytes f = build_command(Command::find_card);
  f.back() ^= 0xFF;
  EXPECT_EQ(parse(ask(e, f)).sw3, 0x10);
  const Bytes bad_len = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x01, 0x01};
  EXPECT_EQ(parse(ask(e, bad_len)).sw3, 0x11);
}

TEST_F(SimEngineTest, RefindOffRefusesASecondFindUntilLifted) {
  ASSERT_TRUE(e.control("place"));
  ASSERT_TRUE(e.control("refind off"));
  ask(e, build_command(Command::find_card));
  ask(e, build_command(Command::select_card));
  ask(e, build_command(Command::read_base_info));
  EXPECT_EQ(parse(ask(e, build_command(Command::find_card))).sw3, 0x80);
  EXPECT_EQ(parse(ask(e, build_command(Command::read_appended_address))).sw3, 0x90);  // still in the field
  ASSERT_TRUE(e.control("remove"));
  ASSERT_TRUE(e.control("place"));
  EXPECT_EQ(parse(ask(e, build_command(Command::find_card))).sw3, 0x9F);
}

TEST_F(SimEngineTest, Faults) {
  ASSERT_TRUE(e.control("place"));
  ASSERT_TRUE(e.control("garbage 5"));
  ASSERT_TRUE(e.control("corrupt"));
  Bytes r = ask(e, build_command(Command::find_card));
  EXPECT_EQ(r.size(), 5u + 15u);
  ResponseParser p;
  p.feed(r);
  auto bad = p.next();
  ASSERT_TRUE(bad && !*bad);
  EXPECT_EQ(p.garbage_skipped(), 5u);

  ASSERT_TRUE(e.control("status 33 select 2"));
  EXPECT_EQ(parse(ask(e, build_command(Command::find_card))).sw3, 0x9F);  // only select is hit
  EXPECT_EQ(parse(ask(e, build_command(Command::select_card))).sw3, 0x33);
  EXPECT_EQ(parse(ask(e, build_command(Command::select_card))).sw3, 0x33);
  EXPECT_EQ(parse(ask(e, build_command(Command::find_card))).sw3, 0x9F);
  EXPECT_EQ(parse(ask(e, build_command(Command::select_card))).sw3, 0x90);

  ASSERT_TRUE(e.control("silent 1"));
  EXPECT_TRUE(e.feed(build_command(Command::find_card)).empty());
  ASSERT_TRUE(e.control("delay 50 1"));
  ASSERT_TRUE(e.control("split 7 3"));
  auto replies = e.feed(build_command(Command::find_card));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].delay.count(), 50);
  EXPECT_EQ(replies[0].split, 7u);
  EXPECT_EQ(e.feed(build_command(Command::find_card))[0].delay.count(), 0);

  ASSERT_TRUE(e.control("lift-mid-read truncate"));
  ask(e, build_command(Command::select_card));
  const Bytes half = ask(e, build_command(Command::read_base_info));
  EXPECT_EQ(half.size(), 1295u / 2);
  EXPECT_FALSE(e.card_placed());
  ASSERT_TRUE(e.control("clear"));
}

TEST_F(SimEngineTest, ControlLinesAreCheckedAndExplained) {
  for (const char* bad : {"frobnicate", "delay", "delay x", "split", "status", "status ZZ", "status 41 find x",
                          "refind maybe", "swap", "place /no/such/file.json", "garbage 0", "garbage-bytes xyz",
                          "lift-mid-read sideways"})
    EXPECT_FALSE(e.control(bad)) << bad;
  auto help = e.control("help");
  ASSERT_TRUE(help);
  for (const char* word : {"place", "remove", "swap", "delay", "split", "garbage", "corrupt", "status", "silent",
                           "lift-mid-read", "refind", "quit"})
    EXPECT_NE(help->find(word), std::string::npos) << word;
  auto info = e.control("info");
  ASSERT_TRUE(info);
  EXPECT_NE(info->find("card=removed"), std::string::npos);
  EXPECT_TRUE(e.control("status 41 3001 3"));
  EXPECT_TRUE(e.control("status 60"));
  EXPECT_TRUE(e.control(""));
}

TEST(SimEngine, RawBlockFiles) {
  testing::TempDir dir;
  Bytes block(256, 0);
  for (std::size_t i = 0; i < 256; i += 2) block[i] = 0x20;
  block[248] = 'J';
  testing::write_file(dir.file("gat.bin"), std::string(block.begin(), block.end()));
  SimEngine e;
  auto r = e.control("place " + dir.file("gat.bin"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NE(r->find("gat"), std::string::npos);
  testing::write_file(dir.file("short.bin"), "abc");
  EXPECT_FALSE(e.control("place " + dir.file("short.bin")));
}

}  // namespace
}  // namespace bianmin::drivers::idcard
