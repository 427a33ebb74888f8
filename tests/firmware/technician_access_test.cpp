// Who may open service mode: the PIN (scrypt, lockout across restarts) and
// registered technician cards (kept as a MAC, never as the number).
#include <gtest/gtest.h>

#include "access/pin_hash.h"
#include "access/technician_access.h"
#include "audit/audit_log.h"
#include "store_fixture.h"

namespace bianmin::access {
namespace {

using namespace std::chrono_literals;

std::string all_settings(store::Store& s) {
  std::string out;
  auto st = s.db().prepare("SELECT key || '=' || value FROM settings");
  EXPECT_TRUE(st);
  while (*st->step()) out += st->text(0) + "\n";
  return out;
}

int audit_entries(store::Store& s, const std::string& type) {
  auto st = s.db().prepare("SELECT count(*) FROM audit_log WHERE type = ?");
  EXPECT_TRUE(st);
  st->bind(1, type);
  EXPECT_TRUE(*st->step());
  return static_cast<int>(st->integer(0));
}

TEST(PinHash, VerifiesOnlyTheRightPinAndRefusesBadFormats) {
  auto h = hash_pin("246810");
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->rfind("scrypt$15$8$1$", 0), 0u);
  EXPECT_EQ(h->find("246810"), std::string::npos);
  EXPECT_TRUE(verify_pin("246810", *h));
  EXPECT_FALSE(verify_pin("246811", *h));
  EXPECT_NE(*hash_pin("246810"), *h);  // salted
  EXPECT_FALSE(hash_pin("12345"));
  EXPECT_FALSE(hash_pin("1234567890123"));
  EXPECT_FALSE(hash_pin("12345a"));
  // A corrupt or planted row is a refusal, not a crash or a huge allocation.
  EXPECT_FALSE(verify_pin("246810", ""));
  EXPECT_FALSE(verify_pin("246810", "scrypt$40$8$1$00$00"));
  EXPECT_FALSE(verify_pin("246810", "scrypt$15$8$1$zz$00"));
}

class Access : public ::testing::Test {
 protected:
  testing::TempDir dir;
  std::unique_ptr<store::Store> s = testing::open_store(dir);
  time::TimePoint t0 = time::Clock::now();
};

TEST_F(Access, FiveWrongPinsLockThePinForFiveMinutesEvenAcrossARestart) {
  TechnicianAccess a(*s);
  EXPECT_FALSE(*a.pin_set());
  EXPECT_FALSE(a.check_pin("246810", t0)->ok);  // no PIN: nothing opens by PIN
  ASSERT_TRUE(a.set_pin("246810"));
  EXPECT_TRUE(*a.pin_set());
  EXPECT_EQ(all_settings(*s).find("246810"), std::string::npos);
  for (int i = 1; i <= 4; ++i) {
    auto c = a.check_pin("000000", t0);
    ASSERT_TRUE(c);
    EXPECT_FALSE(c->ok);
    EXPECT_EQ(c->attempts_left, kMaxPinFailures - i);
  }
  auto c = a.check_pin("000000", t0);
  EXPECT_EQ(c->locked_for_s, 300);
  // Reopened (a restart): the right PIN is not even checked while locked.
  s.reset();
  s = testing::open_store(dir);
  TechnicianAccess b(*s);
  c = b.check_pin("246810", t0 + 60s);
  EXPECT_FALSE(c->ok);
  EXPECT_EQ(c->locked_for_s, 240);
  c = b.check_pin("246810", t0 + 301s);
  EXPECT_TRUE(c->ok);
  EXPECT_EQ(c->technician, "pin");
  EXPECT_EQ(audit_entries(*s, audit::kTechnicianLogin), 7);  // 5 refused, 1 ok; the locked one too
}

TEST_F(Access, ACardIsKnownByAMacOfItsNumberAndCanBeRemoved) {
  TechnicianAccess a(*s);
  EXPECT_FALSE(a.add_card("620702199003071233", "李师傅"));  // wrong check digit
  ASSERT_TRUE(a.add_card("620702199003071232", "李师傅"));
  const std::string settings = all_settings(*s);
  EXPECT_EQ(settings.find("620702199003071232"), std::string::npos);
  EXPECT_NE(settings.find("620702********1232"), std::string::npos);
  auto cards = a.cards();
  ASSERT_EQ(cards->size(), 1u);
  EXPECT_EQ((*cards)[0].name, "李师傅");
  auto c = a.check_card("620702199003071232");
  EXPECT_TRUE(c->ok);
  EXPECT_EQ(c->technician, "card:620702********1232");
  EXPECT_FALSE(a.check_card("11010519491231002X")->ok);
  ASSERT_TRUE(a.remove_card("620702********1232"));
  EXPECT_FALSE(a.check_card("620702199003071232")->ok);
  EXPECT_TRUE(a.cards()->empty());
  EXPECT_EQ(a.remove_card("620702199003071232").error().code, "not_found");
}

}  // namespace
}  // namespace bianmin::access
