// The terminal and the reference central as a user runs them: the real
// `bianmin-central serve`, `bianmin enroll` and `bianmin syncd` binaries on
// loopback.
#include <gtest/gtest.h>

#include "central/fault_proxy.h"
#include "outbox/feedback.h"
#include "outbox/receipt_token.h"
#include "sync/support/sync_fixture.h"

namespace bianmin::testing::sync {
namespace {

const std::vector<std::string>& kFast = kFastSync;

class Delivery : public ::testing::Test {
 protected:
  void SetUp() override {
    central_ = std::make_unique<CentralProcess>(tmp_.file("central"));
    ASSERT_EQ(central_->cli({"publish-catalog", fixture("mini-catalog.json")}).exit_code, 0);
    terminal_.sets = kFast;
    auto r = terminal_.enroll(*central_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  TempDir tmp_;
  std::unique_ptr<CentralProcess> central_;
  TerminalDir terminal_{tmp_.file("terminal")};
};

TEST_F(Delivery, ApplicationsFeedbackAuditAndHeartbeatsArriveAndStatusesComeBack) {
  const auto ids = terminal_.submit(3, 2, 20000, 40000);
  {
    auto s = terminal_.open_store();
    outbox::RatingInput rating;
    rating.level = 5;
    rating.client_id = ids[0];
    rating.comment = "很方便";
    ASSERT_TRUE(outbox::add_rating(*s, rating).ok());
    outbox::ComplaintInput complaint;
    complaint.text = "排队太久";
    ASSERT_TRUE(outbox::add_complaint(*s, complaint).ok());
    // What a kiosk with its printer out of paper and no camera records.
    ASSERT_TRUE(s->set_setting("device.id_reader.status", "ok").ok());
    ASSERT_TRUE(s->set_setting("device.printer.status", "paper_out").ok());
    ASSERT_TRUE(s->set_setting("device.scanner.status", "ok").ok());
  }
  auto syncd = terminal_.syncd(tmp_.file("syncd.log"));
  ASSERT_TRUE(eventually([&] {
    auto s = central_->stats();
    return s["applications"] == 3 && s["ratings"] == 1 && s["complaints"] == 1 && s["heartbeats"] >= 1 &&
           s["audit_entries"] == 3;
  }, 20s)) << central_->stats().dump() << read_file(tmp_.file("syncd.log"));
  ASSERT_TRUE(eventually([&] { return terminal_.count("delivered") == 3; }, 10s));
  auto stats = central_->stats(true);
  EXPECT_EQ(stats["blobs_verified"], 6);
  EXPECT_EQ(stats["blobs_bad"], 0);

  // The central moves a case on; the terminal's poll brings it back.
  const json apps = central_->applications();
  ASSERT_EQ(apps.size(), 3u);
  const std::string case_no = apps[0]["case_no"], client_id = apps[0]["client_id"], receipt = apps[0]["receipt_no"];
  ASSERT_EQ(central_->cli({"advance", case_no, "approved", "--note", "准予"}).exit_code, 0);
  EXPECT_TRUE(eventually([&] {
    auto list = json::parse(terminal_.bm({"queue", "list", "--json"}).out);
    for (const auto& a : list)
      if (a["client_id"] == client_id) return a["central_status"] == "approved" && a["case_no"] == case_no;
    return false;
  }, 10s));

  // A resident's receipt queried at this terminal: right token → status, wrong one → 404 (exit 3).
  const std::string token = outbox::receipt_token(terminal_.open_store()->sealer(), client_id);  // as printed
  auto progress = terminal_.bm({"sync", "progress", "--receipt", receipt, "--token", token, "--json"});
  ASSERT_EQ(progress.exit_code, 0) << progress.err;
  auto p = json::parse(progress.out);
  EXPECT_EQ(p["status"], "approved");
  EXPECT_EQ(p["history"].size(), 2u);
  EXPECT_EQ(terminal_.bm({"sync", "progress", "--receipt", receipt, "--token", "AAAAAAAAAAAAAAAAAAAAAA"}).exit_code, 3);

  // The heartbeat tells the central how the queue looks.
  auto terminals = json::parse(central_->cli({"terminals"}).out);
  EXPECT_EQ(terminals[0]["last_heartbeat"]["queue"]["pending"], 0);
  // … and how the devices are, as the kiosk recorded them.
  EXPECT_EQ(terminals[0]["last_heartbeat"]["devices"],
            json({{"id_reader", "ok"}, {"printer", "paper_out"}, {"camera", "absent"}, {"scanner", "ok"}}));
  EXPECT_EQ(terminal_.status()["devices"]["printer"], "paper_out");
  EXPECT_EQ(terminals[0]["audit_seq"], 3);
  EXPECT_EQ(terminal_.status()["online"], true);
  syncd->stop(SIGTERM);
}

TEST_F(Delivery, ANewCatalogueReplacesTheOldOneWhenTheCentralPublishesIt) {
  auto syncd = terminal_.syncd(tmp_.file("syncd.log"));
  auto active = [&] {
    auto s = terminal_.open_store();
    auto v = catalog::CatalogStore(s->db()).active_version();
    return v.ok() && v->has_value() ? (*v)->second : std::string();
  };
  ASSERT_TRUE(eventually([&] { return active() == "test-1"; }, 10s)) << read_file(tmp_.file("syncd.log"));
  json next = json::parse(read_file(fixture("mini-catalog.json")));
  next["version"] = "test-2";
  write_file(tmp_.file("next.json"), next.dump());
  ASSERT_EQ(central_->cli({"publish-catalog", tmp_.file("next.json")}).exit_code, 0);
  EXPECT_TRUE(eventually([&] { return active() == "test-2"; }, 10s)) << read_file(tmp_.file("syncd.log"));
  syncd->stop(SIGTERM);
}

TEST_F(Delivery, ARefusedRecordIsQuarantinedAndTheOthersStillArrive) {
  // The central's lists lack T-GF-0004; the terminal's still have it.
  write_file(tmp_.file("central-catalog.json"), mini_catalog_without("T-GF-0004", "test-1b").dump());
  ASSERT_EQ(central_->cli({"publish-catalog", tmp_.file("central-catalog.json")}).exit_code, 0);
  terminal_.sets.push_back("sync.catalog_interval_s=3600");  // keep the terminal's own lists
  terminal_.submit(100, 1, 500, 1500, "T-QR-0001", 1);
  const auto bad = terminal_.submit(1, 1, 500, 1500, "T-GF-0004", 2);
  terminal_.submit(99, 1, 500, 1500, "T-QR-0001", 3);
  auto syncd = terminal_.syncd(tmp_.file("syncd.log"));
  ASSERT_TRUE(eventually([&] { return central_->stats()["applications"] == 199; }, 60s))
      << central_->stats().dump() << read_file(tmp_.file("syncd.log"));
  ASSERT_TRUE(eventually([&] { return terminal_.count("quarantined") == 1 && terminal_.count("queued") == 0; }, 10s));
  auto quarantined = json::parse(terminal_.bm({"queue", "list", "--quarantined", "--json"}).out);
  ASSERT_EQ(quarantined.size(), 1u);
  EXPECT_EQ(quarantined[0]["client_id"], bad[0]);
  EXPECT_NE(quarantined[0]["quarantine_reason"].get<std::string>().find("unknown_item"), std::string::npos);
  // The technician sees it in the terminal's status, and supervision in the
  // central's fleet view (queue.quarantined, a heartbeat extension).
  EXPECT_EQ(terminal_.status()["queue"]["quarantined"], 1);
  EXPECT_TRUE(eventually([&] {
    auto t = json::parse(central_->cli({"terminals"}).out);
    return t[0]["last_heartbeat"].is_object() && t[0]["last_heartbeat"]["queue"]["quarantined"] == 1;
  }, 10s));

  // A technician retries (refused again) and then discards it; both are audited.
  ASSERT_EQ(terminal_.bm({"queue", "retry", bad[0], "--technician", "T-07"}).exit_code, 0);
  ASSERT_TRUE(eventually([&] { return terminal_.count("quarantined") == 1; }, 10s));
  EXPECT_EQ(terminal_.bm({"queue", "discard", bad[0]}).exit_code, 1);  // --reason is required
  ASSERT_EQ(terminal_.bm({"queue", "discard", bad[0], "--reason", "item not offered here"}).exit_code, 0);
  EXPECT_EQ(terminal_.count("discarded"), 1);
  auto audit = json::parse(terminal_.bm({"audit", "list"}).out)["entries"];
  int retries = 0, discards = 0;
  for (const auto& e : audit) {
    retries += e["type"] == "queue_retry";
    discards += e["type"] == "queue_discard";
  }
  EXPECT_EQ(retries, 1);
  EXPECT_EQ(discards, 1);
  EXPECT_EQ(central_->stats()["applications"], 199);
  syncd->stop(SIGTERM);
}

TEST_F(Delivery, ACentralWithACertificateFromAnotherCaGetsNothing) {
  CentralProcess impostor(tmp_.file("impostor"));
  ASSERT_EQ(impostor.cli({"publish-catalog", fixture("mini-catalog.json")}).exit_code, 0);
  terminal_.submit(2, 1, 1000, 2000);
  terminal_.sets.push_back("sync.central_url=" + impostor.url());
  auto syncd = terminal_.syncd(tmp_.file("syncd.log"));
  ASSERT_TRUE(eventually([&] {
    auto st = terminal_.status();
    return st["last_error"].is_string() && st["last_error"].get<std::string>().find("not the central") != std::string::npos;
  }, 10s)) << read_file(tmp_.file("syncd.log"));
  std::this_thread::sleep_for(1s);
  syncd->stop(SIGTERM);
  impostor.stop();  // persists what it served
  const json s = impostor.stats();
  EXPECT_EQ(s["requests_served"], 0) << s.dump();
  EXPECT_EQ(s["applications"], 0);
  EXPECT_EQ(s["blobs_complete"], 0);
  EXPECT_EQ(s["heartbeats"], 0);
  EXPECT_EQ(terminal_.count("queued"), 2);
  EXPECT_EQ(terminal_.status()["online"], false);
}

TEST_F(Delivery, FailedEnrolmentsLeaveThePreviousOneIntact) {
  auto sealed = [&] {
    auto s = terminal_.open_store();
    auto v = s->setting("sync.enrolment");
    return v.ok() && v->has_value() ? **v : std::string();
  };
  const std::string before = sealed();
  ASSERT_FALSE(before.empty());
  const json status_before = terminal_.status()["enrolment"];
  CentralProcess other(tmp_.file("other"));

  // Wrong fingerprint: the other central's CA instead of this one's.
  auto wrong = terminal_.bm({"enroll", "--central", central_->url(), "--code", central_->enrollment_code(),
                             "--ca-fingerprint", other.fingerprint()});
  EXPECT_EQ(wrong.exit_code, 7) << wrong.err;
  EXPECT_NE(wrong.err.find("not the central"), std::string::npos) << wrong.err;
  // Bad code.
  auto bad_code = terminal_.bm({"enroll", "--central", central_->url(), "--code", "NOPE-NOPE-NOPE",
                                "--ca-fingerprint", central_->fingerprint()});
  EXPECT_EQ(bad_code.exit_code, 2) << bad_code.err;
  EXPECT_NE(bad_code.err.find("code"), std::string::npos);
  // Unreachable: a central that is gone.
  const std::string gone_url = other.url();
  const std::string gone_fp = other.fingerprint();
  const std::string gone_code = other.enrollment_code();
  other.stop();
  auto unreachable = terminal_.bm({"enroll", "--central", gone_url, "--code", gone_code, "--ca-fingerprint", gone_fp});
  EXPECT_EQ(unreachable.exit_code, 6) << unreachable.err;
  EXPECT_NE(unreachable.err.find("cannot reach"), std::string::npos);

  EXPECT_EQ(sealed(), before);
  EXPECT_EQ(terminal_.status()["enrolment"], status_before);
  // And it still works with the central it was enrolled with.
  terminal_.submit(1, 1, 1000, 2000);
  auto syncd = terminal_.syncd(tmp_.file("syncd.log"));
  EXPECT_TRUE(eventually([&] { return central_->stats()["applications"] == 1; }, 10s)) << read_file(tmp_.file("syncd.log"));
  syncd->stop(SIGTERM);
}

TEST_F(Delivery, TheQueueMovesWithinFiveSecondsOfTheNetworkReturning) {
  // Production timing here: probe every 2 s while offline, up to 2 s of
  // fleet jitter after the return.
  terminal_.sets = {"sync.chunk_bytes=16384"};
  central::FaultProxy proxy("127.0.0.1", central_->port());
  auto port = proxy.start("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  central::FaultPlan down;
  down.down = true;
  proxy.set_plan(down);
  terminal_.sets.push_back("sync.central_url=https://127.0.0.1:" + std::to_string(*port));
  terminal_.submit(20, 1, 1000, 3000);
  auto syncd = terminal_.syncd(tmp_.file("syncd.log"));
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(central_->stats()["applications"], 0);
  EXPECT_EQ(terminal_.status()["online"], false);
  proxy.set_plan({});
  const auto back = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return central_->stats()["applications"] >= 1; }, 10s)) << read_file(tmp_.file("syncd.log"));
  const auto moving = std::chrono::steady_clock::now() - back;
  EXPECT_LT(moving, 5s) << std::chrono::duration_cast<std::chrono::milliseconds>(moving).count() << " ms";
  EXPECT_TRUE(eventually([&] { return central_->stats()["applications"] == 20; }, 20s));
  syncd->stop(SIGTERM);
}

}  // namespace
}  // namespace bianmin::testing::sync
