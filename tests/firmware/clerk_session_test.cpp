// The clerk's session at the counter driven headless: sign in, call a
// number, identify the applicant (card or typed in), form, materials,
// accept, slip, next — and the locks that keep an applicant's data off an
// unattended counter.
#include <gtest/gtest.h>

#include "catalog/parse.h"
#include "session/clerk_session.h"
#include "session_fixtures.h"
#include "store_fixture.h"

namespace bianmin::session {
namespace {

using namespace std::chrono_literals;

domain::Ticket ticket(const std::string& number) {
  domain::Ticket t;
  t.number = number;
  t.line = number.substr(0, 1);
  t.day = "2026-12-06";
  t.seq = std::stoi(number.substr(1));
  return t;
}

class Counter : public ::testing::Test {
 protected:
  catalog::Catalog cat = catalog::parse_catalog(testing::read_file(testing::fixture("mini-catalog.json")))->catalog;
  ClerkSession s{&cat, ClerkConfig{180s, 20s, "3", {"A", "B"}}};
  Clock::time_point now = Clock::time_point{} + 1000s;

  std::vector<ClerkEffect> in(const ClerkInput& i) { return s.handle(i); }
  void advance(std::chrono::seconds d) {
    now += d;
    in(Tick{now});
  }
  CounterScreen screen() const { return s.view().screen; }

  void sign_in() {
    in(Tick{now});
    auto e = in(ClerkSignIn{"c007", "246810"});
    const auto* check = find_effect<DoCheckClerkPin>(e);
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->clerk_id, "c007");
    in(ClerkChecked{true, "c007", "王芳", 5, 0, false});
    ASSERT_EQ(screen(), CounterScreen::waiting_line);
  }

  // Call A023, choose the item, read the card, fill the form, three pages from the feeder.
  void serve_until_review() {
    sign_in();
    auto e = in(CallNext{});
    const auto* call = find_effect<DoCallNextTicket>(e);
    ASSERT_NE(call, nullptr);
    EXPECT_EQ(call->window_no, "3");
    EXPECT_EQ(call->lines, (std::vector<std::string>{"A", "B"}));
    e = in(TicketCalled{ticket("A023")});
    EXPECT_NE(find_effect<DoAnnounceTicket>(e), nullptr) << "the number is shown and spoken";
    ASSERT_EQ(screen(), CounterScreen::choose_item);
    in(SearchText{"sfz"});
    ASSERT_FALSE(s.view().results.empty());
    in(OpenItem{"T-QR-0001"});
    ASSERT_EQ(screen(), CounterScreen::identify);
    in(card_event(domain::IdCardEventKind::card_read));
    ASSERT_EQ(screen(), CounterScreen::form);
    EXPECT_EQ(s.view().form.at("name"), "张三丰");
    in(EditField{"applicant.phone", "13909360001"});
    in(EditField{"phone", "0936-8212345"});
    in(EditField{"reason", "有效期满"});
    in(FormNext{});
    ASSERT_EQ(screen(), CounterScreen::materials) << domain::describe(s.view().issues);
    EXPECT_NE(find_effect<DoCapture>(in(CapturePage{"m1"})), nullptr);
    EXPECT_EQ(find_effect<DoCapture>(in(CapturePage{"m1"})), nullptr) << "one capture at a time";
    in(PageCaptured{"m1", "page 1", "image/jpeg", 1, true});
    in(PageCaptured{"m1", "page 2", "image/jpeg", 1, true});
    EXPECT_TRUE(s.view().capturing) << "the feeder has more pages coming";
    in(PageCaptured{"m1", "page 3", "image/jpeg", 1, false});
    EXPECT_FALSE(s.view().capturing);
    EXPECT_EQ(s.view().pages_of("m1"), 3);
    in(MaterialsNext{});
    ASSERT_EQ(screen(), CounterScreen::review);
  }
};

TEST_F(Counter, NothingAnswersBeforeSignIn) {
  in(Tick{now});
  EXPECT_TRUE(in(CallNext{}).empty());
  EXPECT_TRUE(in(ServeWithoutTicket{}).empty());
  EXPECT_EQ(screen(), CounterScreen::sign_in);
  in(card_event(domain::IdCardEventKind::card_read));
  EXPECT_FALSE(s.view().card) << "a card on a locked counter is not read into anything";
}

TEST_F(Counter, WrongPinsAreRefusedAndCounted) {
  in(Tick{now});
  in(ClerkSignIn{"c007", "000000"});
  EXPECT_TRUE(s.view().busy);
  EXPECT_TRUE(in(ClerkSignIn{"c007", "111111"}).empty()) << "one check at a time";
  in(ClerkChecked{false, "", "", 4, 0, false});
  EXPECT_EQ(s.view().notice, "counter.sign_in.wrong");
  advance(1s);
  EXPECT_EQ(s.view().notice, "counter.sign_in.wrong") << "the clock's tick leaves the notice on the screen";
  EXPECT_EQ(s.view().attempts_left, 4);
  EXPECT_EQ(screen(), CounterScreen::sign_in);
  in(ClerkSignIn{"c007", "000000"});
  in(ClerkChecked{false, "", "", 0, 300, false});
  EXPECT_EQ(s.view().notice, "counter.sign_in.locked");
  EXPECT_EQ(s.view().locked_for_s, 300);
  EXPECT_FALSE(s.view().signed_in());
}

TEST_F(Counter, AcceptanceCarriesWindowChannelAndClerk) {
  serve_until_review();
  auto e = in(SubmitNow{});
  ASSERT_EQ(screen(), CounterScreen::accepting);
  const auto* submit = find_effect<DoSubmit>(e);
  ASSERT_NE(submit, nullptr);
  EXPECT_EQ(submit->request.draft.channel, domain::Channel::window);
  EXPECT_EQ(submit->request.draft.clerk_id, "c007");
  EXPECT_EQ(submit->request.draft.applicant.verified_by, "id_card_reader");
  EXPECT_EQ(submit->request.materials.size(), 3u);

  e = in(Submitted{"cid-9", "K01-20261206-0009", "2026-12-06T10:00:00+08:00"});
  EXPECT_EQ(screen(), CounterScreen::accepted);
  EXPECT_NE(find_effect<DoPrintReceipt>(e), nullptr) << "the acceptance slip";
  EXPECT_NE(find_effect<DoWakeSync>(e), nullptr);
  EXPECT_TRUE(s.view().pages.empty());
  EXPECT_TRUE(in(NextApplicant{}).empty()) << "not while the slip is printing";
  in(PrintFailed{"paper_out", "no paper"});
  EXPECT_EQ(s.view().print, PrintState::failed);
  EXPECT_NE(find_effect<DoPrintReceipt>(in(ReprintReceipt{})), nullptr);
  in(Printed{});
  e = in(NextApplicant{});
  const auto* closed = find_effect<DoSetTicketState>(e);
  ASSERT_NE(closed, nullptr);
  EXPECT_EQ(closed->number, "A023");
  EXPECT_EQ(closed->state, domain::TicketState::served);
  EXPECT_NE(find_effect<DoWipe>(e), nullptr);
  EXPECT_EQ(screen(), CounterScreen::waiting_line);
  EXPECT_FALSE(s.view().card);
  EXPECT_FALSE(s.view().submitted);
  EXPECT_TRUE(s.view().applicant.name.empty());
}

TEST_F(Counter, IdentityTypedInIsCheckedAndAudited) {
  sign_in();
  in(ServeWithoutTicket{});
  in(OpenItem{"T-GF-0004"});
  ASSERT_EQ(screen(), CounterScreen::identify);
  in(TypeIdentity{});
  ASSERT_EQ(screen(), CounterScreen::manual_identity);
  in(ManualIdentity{"李四", "resident", "620702199003071233", "card_forgotten"});
  EXPECT_EQ(s.view().notice, "counter.manual.id_number") << "MOD 11-2 check digit";
  EXPECT_EQ(screen(), CounterScreen::manual_identity);
  in(ManualIdentity{"李四", "resident", "620702199003071232", ""});
  EXPECT_EQ(s.view().notice, "counter.manual.reason") << "a reason is required";
  auto e = in(ManualIdentity{"李四", "resident", "620702199003071232", "card_forgotten"});
  ASSERT_EQ(screen(), CounterScreen::form);
  const auto* audit = find_effect<DoAudit>(e);
  ASSERT_NE(audit, nullptr);
  EXPECT_EQ(audit->type, "identity_manual");
  EXPECT_EQ(audit->masked_detail.find("620702199003071232"), std::string::npos) << "masked in the audit chain";
  EXPECT_EQ(s.view().applicant.verified_by, "manual");
  EXPECT_EQ(s.view().applicant.birth_date, "1990-03-07");
  EXPECT_EQ(s.view().applicant.sex, "男");
  EXPECT_EQ(s.view().form.at("name"), "李四") << "pre-filled from what was typed";
  in(EditField{"applicant.phone", "13909360002"});
  in(FormNext{});
  ASSERT_EQ(screen(), CounterScreen::materials);
  in(CapturePage{"m1"});
  in(PageCaptured{"m1", "page", "image/jpeg", 1});
  in(MaterialsNext{});
  e = in(SubmitNow{});
  const auto* submit = find_effect<DoSubmit>(e);
  ASSERT_NE(submit, nullptr);
  EXPECT_EQ(submit->request.draft.applicant.verified_by, "manual");
  EXPECT_EQ(submit->request.draft.channel, domain::Channel::window);
}

TEST_F(Counter, CounterOnlyItemsAreAcceptedAtTheWindow) {
  sign_in();
  in(ServeWithoutTicket{});
  in(OpenItem{"T-XK-0002"});
  EXPECT_EQ(screen(), CounterScreen::identify) << "not kiosk-submittable, but this is the window";
}

TEST_F(Counter, IdleCounterLocksAndForgetsTheApplicant) {
  serve_until_review();
  advance(179s);
  EXPECT_EQ(s.view().countdown, -1);
  advance(5s);
  EXPECT_GT(s.view().countdown, 0) << "a visible countdown before locking";
  now += 20s;
  const auto e = in(Tick{now});
  EXPECT_EQ(screen(), CounterScreen::sign_in);
  EXPECT_EQ(s.view().notice, "counter.locked_idle");
  EXPECT_FALSE(s.view().signed_in());
  EXPECT_FALSE(s.view().card);
  EXPECT_TRUE(s.view().pages.empty());
  EXPECT_TRUE(s.view().form.empty());
  EXPECT_EQ(s.view().item, nullptr);
  EXPECT_FALSE(s.view().ticket);
  EXPECT_EQ(s.view().last_clerk_id, "c007") << "the clerk number is offered again";
  EXPECT_NE(find_effect<DoWipe>(e), nullptr);
  const auto* back = find_effect<DoSetTicketState>(e);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->state, domain::TicketState::waiting) << "an unserved number goes back to the line";
}

TEST_F(Counter, NeverLocksOverACommit) {
  serve_until_review();
  in(SubmitNow{});
  advance(600s);
  EXPECT_EQ(screen(), CounterScreen::accepting);
  EXPECT_TRUE(in(SignOut{}).empty());
  in(Submitted{"cid-1", "K01-20261206-0001", "2026-12-06T10:00:00+08:00"});
  EXPECT_EQ(screen(), CounterScreen::accepted);
}

TEST_F(Counter, SignOutWipesAndAudits) {
  serve_until_review();
  const auto e = in(SignOut{});
  EXPECT_EQ(screen(), CounterScreen::sign_in);
  EXPECT_NE(find_effect<DoWipe>(e), nullptr);
  const auto* audit = find_effect<DoAudit>(e);
  ASSERT_NE(audit, nullptr);
  EXPECT_EQ(audit->type, "clerk_sign_out");
  EXPECT_TRUE(s.view().waiting.empty());
}

TEST_F(Counter, EmptyLineAndNoShow) {
  sign_in();
  in(CallNext{});
  in(TicketCalled{std::nullopt});
  EXPECT_EQ(s.view().notice, "counter.line_empty");
  EXPECT_EQ(screen(), CounterScreen::waiting_line);
  in(CallNext{});
  in(TicketCalled{ticket("B004")});
  EXPECT_NE(find_effect<DoAnnounceTicket>(in(RecallTicket{})), nullptr);
  const auto e = in(TicketNoShow{});
  const auto* st = find_effect<DoSetTicketState>(e);
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(st->state, domain::TicketState::no_show);
  EXPECT_EQ(screen(), CounterScreen::waiting_line);
}

// The hall's queue is another terminal's and it did not answer: the clerk
// is told so (not "nobody waiting"), and can call again.
TEST_F(Counter, AnUnreachableQueueIsSaidSoAndTheClerkCanCallAgain) {
  sign_in();
  in(CallNext{});
  in(TicketCalled{std::nullopt, true});
  EXPECT_EQ(s.view().notice, "counter.queue_unreachable");
  EXPECT_EQ(screen(), CounterScreen::waiting_line);
  EXPECT_NE(find_effect<DoCallNextTicket>(in(CallNext{})), nullptr);
  // The line as last known stays, marked unknown until the keeper answers.
  in(WaitingLine{{ticket("A002")}});
  in(WaitingLine{{}, true});
  EXPECT_TRUE(s.view().line_unknown);
  ASSERT_EQ(s.view().waiting.size(), 1u);
  in(WaitingLine{{}});
  EXPECT_FALSE(s.view().line_unknown);
  EXPECT_TRUE(s.view().waiting.empty());
}

TEST_F(Counter, CancelDropsTheApplicantKeepsTheClerk) {
  serve_until_review();
  in(CancelApplication{});
  EXPECT_EQ(screen(), CounterScreen::waiting_line);
  EXPECT_TRUE(s.view().signed_in());
  EXPECT_FALSE(s.view().card);
  EXPECT_TRUE(s.view().pages.empty());
}

TEST_F(Counter, QueueLinesSetting) {
  auto lines = domain::parse_queue_lines("A:综合受理; B:社保医保:行政给付,confirmation,T-XK-0002");
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_TRUE((*lines)[0].serves(*cat.find("T-XK-0002"))) << "no list: every item";
  EXPECT_TRUE((*lines)[1].serves(*cat.find("T-GF-0004")));   // benefit
  EXPECT_TRUE((*lines)[1].serves(*cat.find("T-QR-0001")));   // confirmation
  EXPECT_TRUE((*lines)[1].serves(*cat.find("T-XK-0002")));   // by code
  catalog::Item penalty;
  penalty.code = "X-CF-0001";
  penalty.category = catalog::Category::penalty;
  EXPECT_FALSE((*lines)[1].serves(penalty));
  EXPECT_FALSE(domain::parse_queue_lines("a:x").ok());
  EXPECT_FALSE(domain::parse_queue_lines("A:x;A:y").ok());
  EXPECT_FALSE(domain::parse_queue_lines("A").ok());
  EXPECT_FALSE(domain::parse_queue_lines(" ; ").ok());
  EXPECT_EQ(domain::ticket_number("A", 23), "A023");
}

}  // namespace
}  // namespace bianmin::session
