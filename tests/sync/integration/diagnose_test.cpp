// `bianmin diagnose` as a technician runs it: the real binaries on loopback.
#include <gtest/gtest.h>

#include "sync/support/sync_fixture.h"

namespace bianmin::testing::sync {
namespace {

// The checks of the core and of sync; devices, fonts and the display have
// their own tests (tests/drivers/diagnose): here none is configured.
bool core_or_sync(const json& check) {
  const std::string id = check["id"];
  return id.rfind("device.", 0) != 0 && id != "fonts" && id != "display";
}

const json* find_check(const json& report, const std::string& id) {
  for (const auto& c : report["checks"])
    if (c["id"] == id) return &c;
  return nullptr;
}

TEST(Diagnose, AFreshTerminalFailsItsEnrolmentCheckWithAdviceAndExitsTwo) {
  TempDir tmp;
  TerminalDir terminal(tmp.file("terminal"));
  auto r = terminal.bm({"diagnose", "--json"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const json report = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << r.out;
  EXPECT_EQ(report["verdict"], "fail");
  const json* enrol = nullptr;
  for (const auto& c : report["checks"]) {
    for (const char* key : {"id", "title", "verdict", "figure", "advice"}) EXPECT_TRUE(c[key].is_string()) << c.dump();
    if (c["id"].get<std::string>().find("enrol") != std::string::npos) enrol = &c;
  }
  ASSERT_NE(enrol, nullptr) << report.dump(2);
  EXPECT_EQ((*enrol)["verdict"], "fail");
  EXPECT_NE((*enrol)["advice"].get<std::string>().find("bianmin enroll"), std::string::npos);
  // The store of a fresh terminal is fine; there is just nothing in it yet.
  EXPECT_EQ((*find_check(report, "store.integrity"))["verdict"], "ok");
  EXPECT_EQ((*find_check(report, "catalogue"))["verdict"], "fail");
}

TEST(Diagnose, EnrolledTerminalPassesThenNamesTheCentralWhenItStops) {
  TempDir tmp;
  CentralProcess central(tmp.file("central"));
  ASSERT_EQ(central.cli({"publish-catalog", fixture("mini-catalog.json")}).exit_code, 0);
  TerminalDir terminal(tmp.file("terminal"));
  ASSERT_EQ(terminal.enroll(central).exit_code, 0);
  // The catalogue the sync daemon would have fetched, fetched by --fix.
  auto fixed = terminal.bm({"diagnose", "--json", "--fix"});
  const json after_fix = json::parse(fixed.out, nullptr, false);
  ASSERT_TRUE(after_fix.is_object()) << fixed.out << fixed.err;
  EXPECT_EQ((*find_check(after_fix, "catalogue"))["verdict"], "ok") << after_fix.dump(2);
  ASSERT_FALSE(after_fix["repairs"].empty());
  EXPECT_EQ(after_fix["repairs"][0]["id"], "catalogue");

  auto r = terminal.bm({"diagnose", "--json"});
  const json report = json::parse(r.out, nullptr, false);
  EXPECT_NE(r.exit_code, 2) << report.dump(2);
  for (const auto& c : report["checks"]) {
    if (core_or_sync(c)) {
      EXPECT_EQ(c["verdict"], "ok") << c.dump();
    }
  }
  EXPECT_EQ((*find_check(report, "enrolment"))["verdict"], "ok");
  EXPECT_EQ((*find_check(report, "network"))["verdict"], "ok");
  EXPECT_NE((*find_check(report, "network"))["figure"].get<std::string>().find("pinned TLS"), std::string::npos);

  central.stop();
  const auto t0 = std::chrono::steady_clock::now();
  auto down = terminal.bm({"diagnose", "--json"});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  const json offline = json::parse(down.out, nullptr, false);
  EXPECT_EQ(down.exit_code, 2);
  const json* net = find_check(offline, "network");
  ASSERT_NE(net, nullptr);
  EXPECT_EQ((*net)["verdict"], "fail");
  EXPECT_NE((*net)["advice"].get<std::string>().find("network"), std::string::npos);
  // Only the network is wrong.
  for (const auto& c : offline["checks"]) {
    if (core_or_sync(c) && c["id"] != "network") {
      EXPECT_EQ(c["verdict"], "ok") << c.dump();
    }
  }
}

TEST(Diagnose, ACutAuditChainFailsTheAuditCheck) {
  TempDir tmp;
  TerminalDir terminal(tmp.file("terminal"));
  ASSERT_EQ(terminal.submit(2, 1, 100, 200).size(), 2u);
  auto before = json::parse(terminal.bm({"diagnose", "--json"}).out, nullptr, false);
  ASSERT_NE(find_check(before, "audit"), nullptr) << before.dump(2);
  EXPECT_EQ((*find_check(before, "audit"))["verdict"], "ok") << before.dump(2);
  {
    // Someone removes the last application and its audit entry.
    auto s = terminal.open_store();
    ASSERT_TRUE(s->db().exec("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)").ok());
  }
  auto r = terminal.bm({"diagnose", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  auto after = json::parse(r.out, nullptr, false);
  const json* audit = find_check(after, "audit");
  ASSERT_NE(audit, nullptr) << r.out;
  EXPECT_EQ((*audit)["verdict"], "fail");
  EXPECT_NE((*audit)["advice"].get<std::string>().find("do not reset"), std::string::npos);
}

// The technician's path without typing: the central prints the enrolment
// QR (text and picture), the terminal enrols from it.
TEST(EnrolQrCli, TheTerminalEnrolsFromTheQrTheCentralPrints) {
  TempDir tmp;
  CentralProcess central(tmp.file("central"));
  auto made = central.cli({"add-enrollment-code", "--terminal-id", "620702-001-K09", "--qr", central.url(), "--qr-png",
                           tmp.file("enrol.png")});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto newline = made.out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  const std::string code = made.out.substr(0, newline);
  std::string payload = made.out.substr(newline + 1);
  while (!payload.empty() && payload.back() == '\n') payload.pop_back();
  EXPECT_EQ(payload, "bianmin-enrol:?central=" + central.url() + "&code=" + code + "&ca=sha256:" + central.fingerprint());
  EXPECT_GT(read_file(tmp.file("enrol.png")).size(), 100u);

  TerminalDir terminal(tmp.file("terminal"));
  // The picture, read by the terminal's own camera pipeline, gives the same text.
  auto scanned = terminal.bm({"scan", "code", "--camera", "sim:" + tmp.file("enrol.png"), "--timeout", "10", "--json"});
  ASSERT_EQ(scanned.exit_code, 0) << scanned.err;
  EXPECT_EQ(json::parse(scanned.out)["text"], payload);

  testing::write_file(tmp.file("qr.txt"), payload + "\n");
  auto enrolled = terminal.bm({"enroll", "--qr", tmp.file("qr.txt")});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  EXPECT_EQ(terminal.status()["enrolment"]["terminal_id"], "620702-001-K09");
  // A used code in a QR is refused like a typed one (exit 2), a foreign QR too.
  EXPECT_EQ(terminal.bm({"enroll", "--qr", payload}).exit_code, 2);
  EXPECT_EQ(terminal.bm({"enroll", "--qr", "bianmin-enrol:?central=http://127.0.0.1:1&code=X&ca=sha256:00"}).exit_code, 2);
  EXPECT_EQ(terminal.bm({"enroll", "--qr", payload, "--code", "X"}).exit_code, 1);
}

}  // namespace
}  // namespace bianmin::testing::sync
