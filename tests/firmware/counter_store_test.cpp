// What the counter keeps in the store: clerk accounts (scrypt PINs, the
// lockout per clerk, never a PIN in the store or the audit chain) and the
// hall's queue tickets (numbers per day and line, the order they are
// called in, surviving a reopen).
#include <gtest/gtest.h>

#include "access/clerk_accounts.h"
#include "queue/ticket_queue.h"
#include "store_fixture.h"

namespace bianmin {
namespace {

using namespace std::chrono_literals;

// Every text the store holds, as one string: where a PIN must never be.
std::string dump_texts(store::Store& s) {
  std::string out;
  for (const char* sql : {"SELECT clerk_id || name || pin_hash FROM clerks", "SELECT data FROM audit_log",
                          "SELECT type FROM audit_log"}) {
    auto st = s.db().prepare(sql);
    EXPECT_TRUE(st);
    while (*st->step()) out += st->text(0) + "\n";
  }
  return out;
}

class CounterStore : public ::testing::Test {
 protected:
  testing::TempDir dir;
  std::unique_ptr<store::Store> s = testing::open_store(dir);
  time::TimePoint t0 = time::Clock::now();
};

TEST_F(CounterStore, ClerksSignInWithTheirOwnPinOnly) {
  access::ClerkAccounts a(*s);
  ASSERT_TRUE(a.add("c007", "王芳", "246810"));
  ASSERT_TRUE(a.add("c008", "李强", "135791"));
  EXPECT_EQ(a.add("c007", "别人", "111111").error().code, "exists");
  EXPECT_EQ(a.add("c 9", "x", "111111").error().code, "input_invalid");
  EXPECT_EQ(a.add("c009", "", "111111").error().code, "input_invalid");
  EXPECT_EQ(a.add("c009", "x", "12").error().code, "input_invalid");

  auto ok = a.check("c007", "246810", t0);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->ok);
  EXPECT_EQ(ok->name, "王芳");
  EXPECT_FALSE(a.check("c007", "135791", t0)->ok) << "another clerk's PIN";
  const auto unknown = a.check("nobody", "246810", t0);
  EXPECT_FALSE(unknown->ok);
  EXPECT_TRUE(unknown->disabled);

  const std::string texts = dump_texts(*s);
  EXPECT_EQ(texts.find("246810"), std::string::npos);
  EXPECT_EQ(texts.find("135791"), std::string::npos);
  EXPECT_NE(texts.find("clerk_sign_in"), std::string::npos) << "attempts are audited";
}

TEST_F(CounterStore, FiveWrongPinsLockOneClerkAcrossAReopen) {
  {
    access::ClerkAccounts a(*s);
    ASSERT_TRUE(a.add("c007", "王芳", "246810"));
    ASSERT_TRUE(a.add("c008", "李强", "135791"));
    for (int i = 1; i <= 4; ++i) {
      const auto c = a.check("c007", "000000", t0);
      EXPECT_FALSE(c->ok);
      EXPECT_EQ(c->attempts_left, 5 - i);
    }
    const auto fifth = a.check("c007", "000000", t0);
    EXPECT_EQ(fifth->locked_for_s, 300);
  }
  s.reset();
  s = testing::open_store(dir);
  access::ClerkAccounts a(*s);
  const auto locked = a.check("c007", "246810", t0 + 10s);
  EXPECT_FALSE(locked->ok) << "not even the right PIN while locked";
  EXPECT_EQ(locked->locked_for_s, 290);
  EXPECT_TRUE(a.check("c008", "135791", t0 + 10s)->ok) << "the lockout is per clerk";
  auto list = a.list(t0 + 10s);
  ASSERT_TRUE(list);
  EXPECT_EQ((*list)[0].state, "locked");
  EXPECT_EQ((*list)[1].state, "active");
  EXPECT_TRUE(a.check("c007", "246810", t0 + 301s)->ok) << "open again after five minutes";

  ASSERT_TRUE(a.reset_pin("c007", "112233"));
  EXPECT_FALSE(a.check("c007", "246810", t0 + 302s)->ok);
  EXPECT_TRUE(a.check("c007", "112233", t0 + 302s)->ok);
  ASSERT_TRUE(a.disable("c007"));
  const auto disabled = a.check("c007", "112233", t0 + 303s);
  EXPECT_FALSE(disabled->ok);
  EXPECT_TRUE(disabled->disabled);
  EXPECT_EQ(a.disable("nobody").error().code, "not_found");
  EXPECT_EQ((*a.list(t0 + 303s))[0].state, "disabled");
}

TEST_F(CounterStore, TicketsAreNumberedPerLineAndCalledInOrder) {
  queue::TicketQueue q(*s);
  const domain::QueueLine a{"A", "综合受理", {}, {}}, b{"B", "社保医保", {}, {}};
  auto a1 = q.issue(a, t0);
  auto b1 = q.issue(b, t0 + 1s);
  auto a2 = q.issue(a, t0 + 2s);
  ASSERT_TRUE(a1 && b1 && a2);
  EXPECT_EQ(a1->number, "A001");
  EXPECT_EQ(b1->number, "B001");
  EXPECT_EQ(a2->number, "A002");
  EXPECT_EQ(a2->ahead, 1) << "A001 waits before it";
  EXPECT_EQ(b1->ahead, 0);

  auto first = q.call_next({"A", "B"}, "3", "c007", t0 + 10s);
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->number, "A001");
  auto only_b = q.call_next({"B"}, "5", "c008", t0 + 11s);
  EXPECT_EQ((*only_b)->number, "B001") << "a window calls only its own lines";
  auto second = q.call_next({"A", "B"}, "3", "c007", t0 + 12s);
  EXPECT_EQ((*second)->number, "A002");
  EXPECT_FALSE(*q.call_next({"A", "B"}, "3", "c007", t0 + 13s)) << "nobody left";

  // The counter locked before serving A001: it goes back, in its place.
  ASSERT_TRUE(q.set_state(first->value().day, "A001", domain::TicketState::waiting, "c007"));
  auto a3 = q.issue(a, t0 + 20s);
  EXPECT_EQ((*q.call_next({"A"}, "3", "c007", t0 + 21s))->number, "A001");
  ASSERT_TRUE(q.set_state(a3->day, "A001", domain::TicketState::served, "c007"));
  ASSERT_TRUE(q.set_state(a3->day, "A002", domain::TicketState::no_show, "c007"));
  EXPECT_EQ(q.set_state(a3->day, "A099", domain::TicketState::served, "c007").error().code, "not_found");

  s.reset();
  s = testing::open_store(dir);
  queue::TicketQueue again(*s);
  auto all = again.today(t0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4u) << "tickets survive a restart";
  EXPECT_EQ((*all)[0].state, domain::TicketState::served);
  EXPECT_EQ((*all)[2].state, domain::TicketState::no_show);
  EXPECT_EQ((*all)[3].number, "A003");
  EXPECT_EQ((*again.waiting(t0, {"A"})).size(), 1u);
  auto shown = again.last_called(t0);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->window_no, "3");
  EXPECT_TRUE(again.today(t0 + 24h)->empty()) << "numbers restart the next day";
  EXPECT_EQ((*again.issue(a, t0 + 24h)).number, "A001");
}

}  // namespace
}  // namespace bianmin
