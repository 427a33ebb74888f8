// The driver (serial transport + SAM session + decoding) against the
// simulator over a real pty: every card type, and every way the link or the
// card can misbehave. Each case must end with the right result or a clear
// error, in bounded time.
#include <gtest/gtest.h>

#include "idcard_sim_fixture.h"

namespace bianmin::drivers::idcard {
namespace {

using test::sample;
using test::expect_matches_description;
using test::SimFixture;

class PtyReader : public SimFixture {};

TEST_F(PtyReader, ResidentCardFieldByField) {
  ctl("place " + sample("resident"));
  auto card = read_once();
  ASSERT_TRUE(card) << card.error().message;
  expect_matches_description(*card, sample("resident"));
  EXPECT_EQ(card->photo.size(), 1024u);
  EXPECT_EQ(card->appended_address, "北京市海淀区中关村南大街5号");
  EXPECT_EQ(card->to_applicant().address, "北京市海淀区中关村南大街5号");
  EXPECT_EQ(card->photo[0], 'W');
  EXPECT_EQ(card->photo[1], 'L');
}

TEST_F(PtyReader, ForeignCardsFieldByField) {
  for (const char* name : {"foreign-2017", "foreign-2023"}) {
    ctl("place " + sample(name));
    auto card = read_once();
    ASSERT_TRUE(card) << name << ": " << card.error().message;
    expect_matches_description(*card, sample(name));
    EXPECT_EQ(card->type(), domain::CardType::foreign_permanent);
  }
}

TEST_F(PtyReader, GatPermitFieldByField) {
  ctl("place " + sample("gat"));
  auto card = read_once();
  ASSERT_TRUE(card) << card.error().message;
  expect_matches_description(*card, sample("gat"));
  EXPECT_TRUE(card->appended_address.empty());  // the card has none: SW3 91
}

TEST_F(PtyReader, RareCharacterNameRoundTrips) {
  ctl("place " + sample("resident-rare"));
  auto card = read_once();
  ASSERT_TRUE(card) << card.error().message;
  EXPECT_EQ(card->name, "陈𬌗䶮");
  EXPECT_EQ(card->ethnicity, "壮");
  EXPECT_EQ(card->masked_name(), "陈**");
}

TEST_F(PtyReader, GarbageBeforeThePreamble) {
  ctl("place " + sample("resident"));
  ctl("garbage 200");
  ctl("garbage-bytes AAAA9669AAAAAA96");  // preamble fragments that lead nowhere
  auto card = read_once();
  ASSERT_TRUE(card) << card.error().message;
  EXPECT_EQ(card->name, "王美娜");
  EXPECT_EQ(reader->stats().garbage_bytes, 208u);
  EXPECT_EQ(reader->stats().retries, 0u);
}

TEST_F(PtyReader, FramesSplitByteByByte) {
  ctl("place " + sample("gat"));
  ctl("split 1 2");  // find and select answers arrive one byte every 2 ms
  auto found = reader->find_card();
  ASSERT_TRUE(found && *found);
  ASSERT_TRUE(reader->select_card());
  ctl("split 1 0");  // the 1295-byte read: one write() per byte
  auto card = reader->read_base_info();
  ASSERT_TRUE(card) << card.error().message;
  EXPECT_EQ(card->name, "陈嘉欣");
  EXPECT_EQ(reader->stats().retries, 0u);
}

TEST_F(PtyReader, ABadChecksumIsRejectedAndTheCommandRetried) {
  ctl("place " + sample("resident"));
  ctl("corrupt 1");
  auto card = read_once();
  ASSERT_TRUE(card) << card.error().message;
  EXPECT_EQ(reader->stats().damaged_frames, 1u);
  EXPECT_EQ(reader->stats().retries, 1u);
}

TEST_F(PtyReader, PersistentBadChecksumsGiveAClearError) {
  ctl("place " + sample("resident"));
  ctl("corrupt 1000");
  const auto t0 = std::chrono::steady_clock::now();
  auto found = reader->find_card();
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, "frame_checksum");
  EXPECT_NE(found.error().message.find("find card"), std::string::npos);
  EXPECT_EQ(exit_code_for(found.error()), 5);
  EXPECT_LT(seconds_since(t0), 2.0);
}

TEST_F(PtyReader, NoCardOnTheReader) {
  auto found = reader->find_card();
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_FALSE(*found);
  auto sel = reader->select_card();
  ASSERT_FALSE(sel);
  EXPECT_EQ(sel.error().code, "sam_select_card_failed");
}

TEST_F(PtyReader, CardLiftedMidReadGivesAClearError) {
  ctl("place " + sample("resident"));
  ctl("lift-mid-read error");
  auto card = read_once();
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().code, "sam_read_card_failed");
  EXPECT_NE(card.error().message.find("0x41"), std::string::npos);
  auto again = reader->find_card();
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
}

TEST_F(PtyReader, CardLiftedWhileTheFrameWasOnTheWire) {
  ctl("place " + sample("resident"));
  ctl("lift-mid-read truncate");  // half a frame, then the reader answers no more reads
  const auto t0 = std::chrono::steady_clock::now();
  auto card = read_once();
  ASSERT_FALSE(card);
  // The retry of the read finds the card gone: the reader's own status.
  EXPECT_EQ(card.error().code, "sam_read_card_failed") << card.error().message;
  EXPECT_LT(seconds_since(t0), 4.0);
}

TEST_F(PtyReader, EveryStatusIsReportedByName) {
  ctl("place " + sample("resident"));
  for (const StatusInfo& s : all_statuses()) {
    if (is_success(s.sw3) || s.sw3 == 0x10 || s.sw3 == 0x11) continue;  // 10/11 are retried
    char line[32];
    std::snprintf(line, sizeof line, "status %02X read", s.sw3);
    ctl(line);
    auto card = read_once();
    ASSERT_FALSE(card) << line;
    EXPECT_EQ(card.error().code, std::string("sam_") + s.code) << line;
    EXPECT_EQ(exit_code_for(card.error()), 5);
  }
}

TEST_F(PtyReader, HostChecksumErrorsAreRetried) {
  ctl("place " + sample("resident"));
  ctl("status 10 find 1");
  auto found = reader->find_card();
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(reader->stats().retries, 1u);
  ctl("status 11 any 5");
  auto again = reader->find_card();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "sam_host_length_error");
}

TEST_F(PtyReader, ASilentReaderIsNotAnswering) {
  ctl("silent 100");
  const auto t0 = std::chrono::steady_clock::now();
  auto found = reader->find_card();
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, "reader_not_answering");
  EXPECT_EQ(exit_code_for(found.error()), 4);
  EXPECT_LT(seconds_since(t0), 1.5);  // three attempts of 250 ms
}

TEST_F(PtyReader, SlowAnswersWithinTheDeadline) {
  ctl("place " + sample("resident"));
  ctl("delay 150");
  auto card = read_once();
  ASSERT_TRUE(card) << card.error().message;
  EXPECT_EQ(reader->stats().retries, 0u);
}

TEST_F(PtyReader, PacedRepliesTakeTheirWireTime) {
  ctl("place " + sample("resident"));
  ASSERT_TRUE(reader->find_card());
  ASSERT_TRUE(reader->select_card());
  ctl("pace 115200");
  const auto t0 = std::chrono::steady_clock::now();
  auto card = reader->read_base_info();
  const double s = seconds_since(t0);
  ASSERT_TRUE(card) << card.error().message;
  // 1295 bytes × 10 bits at 115200 bit/s = 112 ms; a pty alone takes < 5 ms.
  EXPECT_GE(s, 0.105);
  EXPECT_LT(s, 0.5);
}

TEST_F(PtyReader, SamCommands) {
  ASSERT_TRUE(reader->reset_sam());
  ASSERT_TRUE(reader->status_check());
  auto id = reader->sam_id();
  ASSERT_TRUE(id);
  EXPECT_EQ(id->size(), 16u);
  ASSERT_TRUE(reader->set_rf_frame_size(0x50));
  ASSERT_TRUE(reader->set_uart_baud(115200));
  EXPECT_FALSE(reader->set_uart_baud(4800));
  ctl("place " + sample("resident"));
  ASSERT_TRUE(reader->find_card());
  ASSERT_TRUE(reader->select_card());
  auto fp = reader->read_base_info(true);
  ASSERT_TRUE(fp) << fp.error().message;
  EXPECT_EQ(fp->name, "王美娜");
}

TEST_F(PtyReader, TheSimulatorGoingAwayIsADisconnect) {
  sim.reset();
  auto found = reader->find_card();
  ASSERT_FALSE(found);
  EXPECT_TRUE(found.error().code == "reader_disconnected" || found.error().code == "reader_not_answering")
      << found.error().code;
  EXPECT_EQ(exit_code_for(found.error()), 4);
}

TEST(IdcardSerial, OpeningFailuresAreNamed) {
  SerialTransport missing("/dev/no-such-reader", 115200);
  auto r = missing.open();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "reader_not_found");
  testing::TempDir dir;
  testing::write_file(dir.file("plain"), "x");
  SerialTransport plain(dir.file("plain"), 115200);
  auto p = plain.open();
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, "reader_unsupported");
}

TEST(IdcardSerial, ASecondOpenerIsToldThePortIsBusy) {
  auto sim = SimPty::open();
  ASSERT_TRUE(sim);
  SerialTransport a((*sim)->path(), 115200), b((*sim)->path(), 115200);
  ASSERT_TRUE(a.open());
  auto r = b.open();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "reader_busy");
  a.close();
  EXPECT_TRUE(b.open());
}

TEST(IdcardDeviceSpec, Parses) {
  auto s = parse_device_spec("serial:/dev/ttyUSB0");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->path, "/dev/ttyUSB0");
  EXPECT_EQ(s->baud, 115200);
  s = parse_device_spec("serial:/dev/pts/7@9600");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->path, "/dev/pts/7");
  EXPECT_EQ(s->baud, 9600);
  s = parse_device_spec("usb");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->usb_ids.size(), 2u);
  EXPECT_EQ(s->usb_ids[0].vid, 0x0400);
  EXPECT_EQ(s->usb_ids[0].pid, 0xC35A);
  s = parse_device_spec("usb:0400:C35A,1234:abcd");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->usb_ids.size(), 2u);
  EXPECT_EQ(s->usb_ids[1].pid, 0xABCD);
  for (const char* bad : {"", "tty", "serial:", "serial:/dev/x@fast", "serial:/dev/x@12345", "usb:0400",
                          "usb:zz:1", "usb:12345:1"})
    EXPECT_FALSE(parse_device_spec(bad)) << bad;
}

TEST(IdcardUsb, WithoutAReaderItSaysSo) {
  // No hardware here: the USB transport must still enumerate and fail cleanly.
  auto spec = parse_device_spec("usb:0400:c35a");
  ASSERT_TRUE(spec);
  auto t = make_transport(*spec);
  auto r = t->open();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().code.starts_with("reader_")) << r.error().code;
  EXPECT_NE(t->describe().find("0400:c35a"), std::string::npos);
  SamReader sam(*t, test::fast_options());
  auto f = sam.find_card();
  ASSERT_FALSE(f);
  EXPECT_EQ(exit_code_for(f.error()), 4);
}

}  // namespace
}  // namespace bianmin::drivers::idcard
