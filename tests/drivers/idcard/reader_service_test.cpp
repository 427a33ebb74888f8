// The reader service against the simulator: the events the kiosk's session
// state machine sees when residents place, lift and swap cards, and when the
// reader is unplugged and comes back.
#include <gtest/gtest.h>

#include "idcard/reader_service.h"
#include "idcard_sim_fixture.h"

namespace bianmin::drivers::idcard {
namespace {

using domain::IdCardEventKind;
using test::sample;

ReaderServiceOptions fast_service() {
  ReaderServiceOptions o;
  o.poll_interval = Millis(20);
  o.presence_interval = Millis(20);
  o.reopen_interval = Millis(50);
  o.sam = test::fast_options();
  return o;
}

class ReaderServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    link = dir.file("idcard");
    open_sim();
  }
  void open_sim() {
    SimPtyOptions o;
    o.link = link;  // a stable name across "re-plugs", like a udev symlink
    auto s = SimPty::open(o);
    ASSERT_TRUE(s) << s.error().message;
    sim = std::move(s).value();
    sim->start();
  }
  void ctl(const std::string& line) {
    auto r = sim->control(line);
    ASSERT_TRUE(r) << line << ": " << r.error().message;
  }
  // The next event, which must come within 3 s.
  domain::IdCardEvent next() {
    auto e = events.wait(std::chrono::milliseconds(3000));
    EXPECT_TRUE(e.has_value()) << "no event";
    return e ? std::move(*e) : domain::IdCardEvent{};
  }
  void expect_quiet(int ms) {
    auto e = events.wait(std::chrono::milliseconds(ms));
    EXPECT_FALSE(e.has_value()) << "unexpected " << domain::idcard_event_key(e->kind);
  }
  std::unique_ptr<ReaderService> service() {
    return std::make_unique<ReaderService>(std::make_unique<SerialTransport>(link, 115200), events, fast_service());
  }

  testing::TempDir dir;
  std::string link;
  std::unique_ptr<SimPty> sim;
  domain::IdCardEventQueue events;
};

TEST_F(ReaderServiceTest, PlaceReadOnceLiftPlaceAgain) {
  auto svc = service();
  svc->start();
  EXPECT_EQ(next().kind, IdCardEventKind::reader_present);
  expect_quiet(100);
  ctl("place " + sample("resident"));
  auto read = next();
  ASSERT_EQ(read.kind, IdCardEventKind::card_read);
  ASSERT_TRUE(read.card);
  EXPECT_EQ(read.card->name, "王美娜");
  EXPECT_EQ(read.card->to_applicant().verified_by, "id_card_reader");
  EXPECT_NE(read.reader.find(link), std::string::npos);
  expect_quiet(200);  // read once per placement, however long the card lies there
  ctl("remove");
  EXPECT_EQ(next().kind, IdCardEventKind::card_removed);
  ctl("place");
  EXPECT_EQ(next().kind, IdCardEventKind::card_read);
  svc->stop();
}

TEST_F(ReaderServiceTest, StrictReadersThatRefuseASecondFind) {
  ctl("refind off");
  auto svc = service();
  svc->start();
  EXPECT_EQ(next().kind, IdCardEventKind::reader_present);
  ctl("place " + sample("gat"));
  EXPECT_EQ(next().kind, IdCardEventKind::card_read);
  expect_quiet(200);  // find now fails, but the card is still there
  ctl("remove");
  EXPECT_EQ(next().kind, IdCardEventKind::card_removed);
}

TEST_F(ReaderServiceTest, ASwappedCardIsNoticed) {
  auto svc = service();
  svc->start();
  EXPECT_EQ(next().kind, IdCardEventKind::reader_present);
  ctl("place " + sample("resident"));
  EXPECT_EQ(next().kind, IdCardEventKind::card_read);
  ctl("swap " + sample("foreign-2023"));
  EXPECT_EQ(next().kind, IdCardEventKind::card_removed);
  auto e = next();
  ASSERT_EQ(e.kind, IdCardEventKind::card_read);
  EXPECT_EQ(e.card->nationality, "SAU");
}

TEST_F(ReaderServiceTest, CardLiftedMidReadIsReadFailedThenRemoved) {
  auto svc = service();
  svc->start();
  EXPECT_EQ(next().kind, IdCardEventKind::reader_present);
  ctl("lift-mid-read error");
  ctl("place " + sample("resident"));
  auto e = next();
  ASSERT_EQ(e.kind, IdCardEventKind::read_failed);
  EXPECT_EQ(e.error_code, "sam_read_card_failed");
  EXPECT_FALSE(e.card.has_value());
  EXPECT_EQ(next().kind, IdCardEventKind::card_removed);
  ctl("place");
  EXPECT_EQ(next().kind, IdCardEventKind::card_read);
}

TEST_F(ReaderServiceTest, UnplugAndReplugRecoverByThemselves) {
  auto svc = service();
  svc->start();
  EXPECT_EQ(next().kind, IdCardEventKind::reader_present);
  ctl("place " + sample("resident"));
  EXPECT_EQ(next().kind, IdCardEventKind::card_read);
  sim.reset();  // unplugged
  EXPECT_EQ(next().kind, IdCardEventKind::card_removed);
  auto absent = next();
  EXPECT_EQ(absent.kind, IdCardEventKind::reader_absent);
  EXPECT_FALSE(absent.error_code.empty());
  expect_quiet(200);  // absent is said once, not on every retry
  open_sim();  // plugged back in (a new pty behind the same name)
  EXPECT_EQ(next().kind, IdCardEventKind::reader_present);
  ctl("place " + sample("gat"));
  EXPECT_EQ(next().kind, IdCardEventKind::card_read);
}

TEST_F(ReaderServiceTest, NoReaderAtStartIsReportedAndStopIsPrompt) {
  sim.reset();
  auto svc = service();
  const auto t0 = std::chrono::steady_clock::now();
  svc->start();  // returns at once
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(50));
  EXPECT_EQ(next().kind, IdCardEventKind::reader_absent);
  const auto t1 = std::chrono::steady_clock::now();
  svc->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t1, std::chrono::milliseconds(500));
}

TEST_F(ReaderServiceTest, ASilentReaderIsAbsent) {
  auto svc = service();
  svc->start();
  EXPECT_EQ(next().kind, IdCardEventKind::reader_present);
  ctl("silent 1000000");
  auto e = next();
  EXPECT_EQ(e.kind, IdCardEventKind::reader_absent);
  EXPECT_EQ(e.error_code, "reader_not_answering");
  ctl("silent 0");
  EXPECT_EQ(next().kind, IdCardEventKind::reader_present);
}

}  // namespace
}  // namespace bianmin::drivers::idcard
