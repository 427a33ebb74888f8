// Issue 16 against the real binaries on loopback: an audit chain cut after
// upload is a break at both ends (item 3), and an application the central
// lost is delivered to it again, once (item 4).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/anchor.h"
#include "audit/audit_log.h"
#include "sync/support/sync_fixture.h"

namespace bianmin::testing::sync {
namespace {

class CentralIssue16 : public ::testing::Test {
 protected:
  void SetUp() override {
    central_ = std::make_unique<CentralProcess>(tmp_.file("central"));
    ASSERT_EQ(central_->cli({"publish-catalog", fixture("mini-catalog.json")}).exit_code, 0);
    terminal_.sets = kFastSync;
    auto r = terminal_.enroll(*central_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  json terminal_row() {
    auto t = json::parse(central_->cli({"terminals"}).out, nullptr, false);
    return t.is_array() && !t.empty() ? t[0] : json();
  }
  std::string log() { return read_file(tmp_.file("syncd.log")); }
  TempDir tmp_;
  std::unique_ptr<CentralProcess> central_;
  TerminalDir terminal_{tmp_.file("terminal")};
};

TEST_F(CentralIssue16, AChainCutAfterUploadIsABreakAtBothEndsUntilTheOperatorClearsIt) {
  const auto ids = terminal_.submit(3, 1, 500, 1000);
  {
    auto syncd = terminal_.syncd(tmp_.file("syncd.log"));
    ASSERT_TRUE(eventually([&] { return terminal_row()["audit_seq"] == 3; }, 20s)) << log();
    ASSERT_TRUE(eventually([&] { return terminal_.status()["audit"]["accepted_through"] == 3; }, 10s)) << log();
    syncd->stop(SIGTERM);
  }
  // Someone with the store and even the device key cuts the last receipt
  // and its entry and forges the anchor: nothing local can tell any more.
  {
    auto s = terminal_.open_store();
    ASSERT_TRUE(s->db().exec("DELETE FROM application_materials WHERE client_id = '" + ids[2] + "'").ok());
    ASSERT_TRUE(s->db().exec("DELETE FROM applications WHERE client_id = '" + ids[2] + "'").ok());
    ASSERT_TRUE(s->db().exec("DELETE FROM audit_log WHERE seq = 3").ok());
    audit::Anchor anchor(s->db(), s->sealer());
    auto head = anchor.head();
    audit::AnchorState forged;
    forged.seq = forged.central_seq = 2;
    forged.hash = forged.central_hash = head->hash;
    ASSERT_TRUE(anchor.store(forged).ok());
    ASSERT_EQ(terminal_.bm({"audit", "verify"}).exit_code, 0);
    // The terminal goes on; its new entry 3 is not the one the central holds.
    ASSERT_TRUE(audit::AuditLog(s->db(), s->sealer()).append(audit::kSessionStart, {}).ok());
  }
  auto syncd = terminal_.syncd(tmp_.file("syncd.log"));
  // The central persists the break at entry 3 and shows it in its fleet view.
  ASSERT_TRUE(eventually([&] { return terminal_row()["audit_break"].is_object(); }, 20s)) << log();
  EXPECT_EQ(terminal_row()["audit_break"]["seq"], 3);
  // The terminal never marks its divergent entry uploaded, and surfaces the
  // break: audit verify, sync status, heartbeat.
  ASSERT_TRUE(eventually([&] { return terminal_.status()["audit"]["break"].is_object(); }, 10s)) << log();
  EXPECT_EQ(terminal_.status()["audit"]["break"]["seq"], 3);
  auto verify = terminal_.bm({"audit", "verify", "--json"});
  EXPECT_EQ(verify.exit_code, 5);
  EXPECT_EQ(json::parse(verify.out)["problem"]["seq"], 3);
  EXPECT_TRUE(eventually([&] {
    const json hb = terminal_row()["last_heartbeat"];
    return hb.is_object() && hb["audit"]["break"].is_object() && hb["audit"]["break"]["seq"] == 3;
  }, 10s)) << terminal_row().dump();
  auto uploaded = [&](int64_t seq) {
    auto s = terminal_.open_store();
    auto st = s->db().prepare("SELECT uploaded FROM audit_log WHERE seq = ?");
    st->bind(1, seq);
    return st->step().value() && st->integer(0) == 1;
  };
  EXPECT_FALSE(uploaded(3));
  // More entries do not move the central's chain on.
  {
    auto s = terminal_.open_store();
    ASSERT_TRUE(audit::AuditLog(s->db(), s->sealer()).append(audit::kSessionEnd, {}).ok());
  }
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(terminal_row()["audit_seq"], 3);
  EXPECT_FALSE(uploaded(4));

  // The operator looks into it and clears it: the central's old entry 3 is
  // set aside and the terminal's chain continues from entry 2.
  auto cleared = central_->cli({"clear-audit-break", "--terminal-id", "620702-001-K03", "--operator", "O-1"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_EQ(json::parse(cleared.out)["superseded_entries"], 1);
  EXPECT_TRUE(eventually([&] { return terminal_row()["audit_seq"] == 4; }, 20s)) << log();
  EXPECT_TRUE(terminal_row()["audit_break"].is_null());
  EXPECT_TRUE(eventually([&] { return uploaded(4); }, 10s));
  EXPECT_EQ(central_->cli({"clear-audit-break", "--terminal-id", "620702-001-K03", "--operator", "O-1"}).exit_code, 3);
  syncd->stop(SIGTERM);
}

TEST_F(CentralIssue16, AnApplicationTheCentralLostIsDeliveredAgainExactlyOnce) {
  const auto ids = terminal_.submit(2, 1, 500, 1000);
  auto syncd = terminal_.syncd(tmp_.file("syncd.log"));
  ASSERT_TRUE(eventually([&] { return terminal_.count("delivered") == 2; }, 20s)) << log();
  // The central loses one acknowledged application (a restore, a damaged file).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((central_->dir() + "/central.db").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  const std::string del = "DELETE FROM applications WHERE client_id = '" + ids[1] + "'";
  EXPECT_EQ(sqlite3_exec(db, del.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  ASSERT_EQ(central_->stats()["applications"], 1);
  // The next status poll notices and the upload lane delivers it again.
  auto count = [&](const std::string& id) {
    int n = 0;
    for (const auto& a : central_->applications()) n += a["client_id"] == id;
    return n;
  };
  ASSERT_TRUE(eventually([&] { return count(ids[1]) == 1; }, 20s)) << log();
  EXPECT_TRUE(eventually([&] { return terminal_.count("delivered") == 2; }, 10s)) << log();
  std::this_thread::sleep_for(2s);  // a few more polls: nothing arrives twice
  EXPECT_EQ(count(ids[0]), 1);
  EXPECT_EQ(count(ids[1]), 1);
  EXPECT_EQ(central_->stats()["applications"], 2);
  syncd->stop(SIGTERM);
}

}  // namespace
}  // namespace bianmin::testing::sync
