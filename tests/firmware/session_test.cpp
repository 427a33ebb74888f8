// The resident session driven headless: every flow a resident can take,
// without a screen, a device or a network.
#include <gtest/gtest.h>

#include "catalog/parse.h"
#include "session/resident_session.h"
#include "session_fixtures.h"
#include "store_fixture.h"

namespace bianmin::session {
namespace {

using namespace std::chrono_literals;

class Session : public ::testing::Test {
 protected:
  catalog::Catalog cat = catalog::parse_catalog(testing::read_file(testing::fixture("mini-catalog.json")))->catalog;
  ResidentSession s{&cat, SessionConfig{}};
  Clock::time_point t0 = Clock::time_point{} + 1000s;
  Clock::time_point now = t0;

  std::vector<Effect> in(const Input& i) { return s.handle(i); }
  void advance(std::chrono::seconds d) {
    now += d;
    in(Tick{now});
  }
  Screen screen() const { return s.view().screen; }

  // Home → guide → card → form → one page → review → submit.
  std::vector<Effect> apply_until_submit() {
    in(Tick{now});
    in(Touch{});
    in(SearchText{"sfz"});
    EXPECT_EQ(screen(), Screen::lists);
    EXPECT_EQ(s.view().results.size(), 1u);
    in(OpenItem{"T-QR-0001"});
    in(StartApply{});
    EXPECT_EQ(screen(), Screen::place_card);
    in(card_event(domain::IdCardEventKind::card_read));
    EXPECT_EQ(screen(), Screen::confirm_identity);
    in(ConfirmIdentity{});
    EXPECT_EQ(screen(), Screen::form);
    EXPECT_EQ(s.view().form.at("name"), "张三丰") << "pre-filled from the card";
    in(EditField{"applicant.phone", "13909360001"});
    in(EditField{"phone", "0936-8212345"});
    in(EditField{"reason", "有效期满"});
    in(FormNext{});
    EXPECT_EQ(screen(), Screen::materials) << domain::describe(s.view().issues);
    auto cap = in(CapturePage{"m1"});
    EXPECT_NE(find_effect<DoCapture>(cap), nullptr);
    in(PageCaptured{"m1", "JPEG bytes of the page", "image/jpeg", 1});
    EXPECT_EQ(s.view().pages_of("m1"), 1);
    in(MaterialsNext{});
    EXPECT_EQ(screen(), Screen::review);
    return in(SubmitNow{});
  }
};

TEST_F(Session, FullJourneyFromHomeToRating) {
  auto effects = apply_until_submit();
  ASSERT_EQ(screen(), Screen::submitting);
  const auto* submit = find_effect<DoSubmit>(effects);
  ASSERT_NE(submit, nullptr);
  EXPECT_EQ(submit->request.draft.applicant.id_number, "620702199003071232");
  EXPECT_EQ(submit->request.draft.applicant.verified_by, "id_card_reader");
  EXPECT_EQ(submit->request.materials.size(), 1u);

  effects = in(Submitted{"cid-1", "K01-20261122-0001", "2026-11-22T09:30:00+08:00"});
  EXPECT_EQ(screen(), Screen::receipt);
  EXPECT_NE(find_effect<DoPrintReceipt>(effects), nullptr);
  EXPECT_NE(find_effect<DoWakeSync>(effects), nullptr);
  EXPECT_TRUE(s.view().pages.empty()) << "working copies dropped once stored";
  in(Printed{});
  EXPECT_EQ(screen(), Screen::rating);
  EXPECT_TRUE(find_effect<DoStoreRating>(in(Rate{1, {}})) == nullptr) << "the two lowest levels need a reason";
  EXPECT_EQ(s.view().notice, "rating.reason_required");
  effects = in(Rate{2, {"等待时间长"}});
  const auto* rating = find_effect<DoStoreRating>(effects);
  ASSERT_NE(rating, nullptr);
  EXPECT_EQ(rating->client_id, "cid-1");
  EXPECT_EQ(screen(), Screen::done);
  effects = in(Finish{});
  EXPECT_EQ(screen(), Screen::attract);
  EXPECT_NE(find_effect<DoWipe>(effects), nullptr);
}

TEST_F(Session, FormProblemsAreShownNotSubmitted) {
  in(Tick{now});
  in(OpenItem{"T-QR-0001"});
  in(StartApply{});
  in(card_event(domain::IdCardEventKind::card_read));
  in(ConfirmIdentity{});
  in(EditField{"applicant.phone", "123"});
  in(FormNext{});
  EXPECT_EQ(screen(), Screen::form);
  std::vector<std::string> fields;
  for (const auto& i : s.view().issues) fields.push_back(i.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "applicant.phone"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "form.reason"), fields.end());
  EXPECT_EQ(std::find(fields.begin(), fields.end(), "materials.m1"), fields.end()) << "materials come later";
  in(EditField{"applicant.name", "李四"});
  EXPECT_EQ(s.view().applicant.name, "张三丰") << "what the card says cannot be edited";
  in(EditField{"name", "李四"});
  EXPECT_EQ(s.view().form.at("name"), "张三丰") << "nor in a form field pre-filled from the card";
}

TEST_F(Session, CounterOnlyItemsCannotStartAtAKiosk) {
  in(OpenItem{"T-XK-0002"});
  in(StartApply{});
  EXPECT_EQ(screen(), Screen::item_guide);
  EXPECT_EQ(s.view().notice, "item.counter_only");
}

TEST_F(Session, IdleTimeoutCountsDownThenWipes) {
  apply_until_submit();
  // Submitting: the session never times out under a commit in progress.
  advance(120s);
  EXPECT_EQ(screen(), Screen::submitting);
  in(Submitted{"cid-1", "K01-20261122-0001", "t"});
  in(Printed{});
  advance(59s);
  EXPECT_EQ(s.view().countdown, -1);
  advance(5s);
  EXPECT_EQ(s.view().countdown, 11);
  in(Touch{});
  EXPECT_EQ(s.view().countdown, -1) << "a touch cancels the countdown";
  advance(61s);
  EXPECT_GT(s.view().countdown, 0);
  now += 20s;
  auto effects = in(Tick{now});
  EXPECT_EQ(screen(), Screen::attract);
  EXPECT_EQ(s.view().notice, "session.timed_out");
  EXPECT_NE(find_effect<DoWipe>(effects), nullptr);
  EXPECT_FALSE(s.view().card);
  EXPECT_TRUE(s.view().applicant.name.empty());
  EXPECT_FALSE(s.view().submitted);
}

TEST_F(Session, ElderModeWaitsLonger) {
  in(Tick{now});
  in(Touch{});
  in(SetElderMode{true});
  advance(100s);
  EXPECT_EQ(s.view().countdown, -1);
  advance(30s);
  EXPECT_GT(s.view().countdown, 0);
}

TEST_F(Session, LiftingTheCardEndsTheFlowAndWipes) {
  in(Tick{now});
  in(OpenItem{"T-QR-0001"});
  in(StartApply{});
  in(card_event(domain::IdCardEventKind::card_read));
  in(ConfirmIdentity{});
  in(EditField{"applicant.phone", "13909360001"});
  auto effects = in(card_event(domain::IdCardEventKind::card_removed, false));
  EXPECT_EQ(screen(), Screen::attract);
  EXPECT_EQ(s.view().notice, "session.card_removed");
  EXPECT_TRUE(s.view().applicant.phone.empty());
  EXPECT_TRUE(s.view().form.empty());
  EXPECT_NE(find_effect<DoWipe>(effects), nullptr);
}

TEST_F(Session, PrintFailureKeepsTheApplicationAndOffersAReprint) {
  apply_until_submit();
  in(Submitted{"cid-9", "K01-20261122-0009", "t"});
  in(PrintFailed{"paper_out", "缺纸"});
  EXPECT_EQ(screen(), Screen::receipt);
  EXPECT_EQ(s.view().print, PrintState::failed);
  EXPECT_EQ(s.view().printer_state, "paper_out");
  EXPECT_EQ(s.view().notice, "receipt.print_failed");
  EXPECT_EQ(s.view().submitted->receipt_no, "K01-20261122-0009") << "the resident can note the number";
  auto effects = in(ReprintReceipt{});
  ASSERT_NE(find_effect<DoPrintReceipt>(effects), nullptr);
  in(Printed{});
  EXPECT_EQ(screen(), Screen::rating);
}

TEST_F(Session, SubmitFailureReturnsToReviewWithDataKept) {
  apply_until_submit();
  in(SubmitFailed{"disk_full", "full"});
  EXPECT_EQ(screen(), Screen::review);
  EXPECT_EQ(s.view().notice, "submit.disk_full");
  EXPECT_EQ(s.view().pages.size(), 1u);
}

TEST_F(Session, ScanningAReceiptQueriesProgress) {
  in(Tick{now});
  auto effects = in(CodeScanned{true, "K03-20261122-0042", "tok"});
  const auto* q = find_effect<DoQueryProgress>(effects);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->receipt_no, "K03-20261122-0042");
  EXPECT_EQ(q->token, "tok");
  ProgressAnswer a;
  a.online = false;
  a.found = true;
  a.status = "in_review";
  in(a);
  EXPECT_EQ(screen(), Screen::progress_result);
  EXPECT_FALSE(s.view().progress->online);
  in(CodeScanned{false, "", ""});
  EXPECT_EQ(s.view().notice, "code.not_a_receipt");
}

TEST_F(Session, ComplaintIsValidatedThenQueued) {
  in(Tick{now});
  in(StartComplaint{});
  in(SubmitComplaint{"service", "", "139"});
  EXPECT_EQ(screen(), Screen::complaint);
  EXPECT_EQ(s.view().issues.size(), 2u);
  auto effects = in(SubmitComplaint{"staff", "窗口人员态度不好", "13909360001"});
  ASSERT_NE(find_effect<DoStoreComplaint>(effects), nullptr);
  EXPECT_EQ(screen(), Screen::complaint_done);
}

TEST_F(Session, ThreeListsAndBrowsing) {
  in(OpenLists{ListKind::power});
  EXPECT_EQ(s.view().results.size(), 3u);
  in(Browse{catalog::Category::licensing, ""});
  ASSERT_EQ(s.view().results.size(), 1u);
  in(OpenLists{ListKind::duty});
  EXPECT_EQ(s.view().results.size(), 1u) << "only items that state responsibilities";
  in(OpenLists{ListKind::funds});
  EXPECT_TRUE(s.view().results.empty());
}

TEST_F(Session, ANewCatalogueDoesNotLeaveDanglingItems) {
  in(OpenItem{"T-QR-0001"});
  catalog::Catalog other = cat;
  other.items.erase(other.items.begin());
  s.set_catalog(&other);
  EXPECT_EQ(s.view().item, nullptr);
  EXPECT_EQ(screen(), Screen::home);
}

}  // namespace
}  // namespace bianmin::session

namespace bianmin::session {
namespace {

class Tickets : public ::testing::Test {
 protected:
  catalog::Catalog cat = catalog::parse_catalog(testing::read_file(testing::fixture("mini-catalog.json")))->catalog;
  std::vector<domain::QueueLine> lines = *domain::parse_queue_lines("A:综合受理;B:社保医保:行政给付");
  ResidentSession s{&cat, SessionConfig{60s, 15s, 2, lines}};
  std::vector<Effect> in(const Input& i) { return s.handle(i); }
};

TEST_F(Tickets, ANumberIsTakenForTheChosenLineAndShown) {
  in(Tick{Clock::time_point{} + 1000s});
  in(Touch{});
  ASSERT_EQ(s.view().screen, Screen::home);
  in(TakeTicket{});
  ASSERT_EQ(s.view().screen, Screen::take_ticket);
  EXPECT_EQ(find_effect<DoIssueTicket>(in(ChooseLine{"Z"})), nullptr) << "no such line";
  auto e = in(ChooseLine{"B"});
  const auto* issue = find_effect<DoIssueTicket>(e);
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->line.name, "社保医保");
  EXPECT_TRUE(in(ChooseLine{"B"}).empty()) << "one number per tap";
  domain::Ticket t;
  t.number = "B004";
  t.line_name = "社保医保";
  t.ahead = 3;
  in(TicketIssued{t, false, "paper_out"});
  ASSERT_TRUE(s.view().ticket);
  EXPECT_EQ(s.view().ticket->ticket->number, "B004");
  EXPECT_EQ(s.view().notice, "ticket.print_failed") << "the number stays on the screen to note down";
  in(Finish{});
  EXPECT_EQ(s.view().screen, Screen::attract);
  EXPECT_FALSE(s.view().ticket);
  EXPECT_EQ(s.view().lines.size(), 2u) << "the hall's lines stay after the session";
}

TEST_F(Tickets, NoLinesNoTickets) {
  ResidentSession plain{&cat, SessionConfig{}};
  plain.handle(Touch{});
  plain.handle(TakeTicket{});
  EXPECT_EQ(plain.view().screen, Screen::home);
}

}  // namespace
}  // namespace bianmin::session
