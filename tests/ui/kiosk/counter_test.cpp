// The counter terminal as a window clerk meets it: the real
// `bianmin kiosk --role counter --sim` under Xvfb with the simulators and
// the reference central, driven by scripts (issue 15 "Done when").
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <regex>
#include <set>
#include <string>
#include <thread>

#include "drivers/docscan/sane_test_config.h"
#include "kiosk_fixture.h"
#include "memory_scan.h"
#include "support/encodings.h"
#include "support/testing.h"

namespace bianmin::ui {
namespace {

using json = nlohmann::json;

// SANE's own test backend as the counter's document scanner (the counter
// inherits SANE_CONFIG_DIR): its feeder holds ten sheets, of which the
// counter takes three per scan (document_scanner.max_pages).
const drivers::docscan::testing::SaneTestConfig sane_config;

class Counter : public Kiosk {
 protected:
  static void add_clerk(const testing::TempDir& data, const std::string& id, const std::string& name,
                        const std::string& pin) {
    auto r = testing::run_bianmin({"--data-dir", data.path(), "clerk", "add", "--id", id, "--name", name, "--pin-stdin"},
                                  pin + "\n" + pin + "\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static std::vector<std::string> counter_args(const std::string& data, const std::string& script,
                                               const std::string& shots) {
    auto args = kiosk_args(data, script, shots);
    args.insert(args.begin() + 4, {"--role", "counter", "--document-scanner", "sane:test:0"});
    args.insert(args.begin() + 1, {"--set", "document_scanner.max_pages=3", "--set", "document_scanner.dpi=150"});
    return args;
  }
};

// A resident takes a number at the kiosk; the clerk signs in, calls it,
// reads the card, fills the form, scans three pages of each material from
// the document feeder (SANE's test backend) and accepts; the
// acceptance slip prints with the receipt's QR. A second applicant, without
// a card, is typed in. Both reach the central once, as window applications
// of this clerk.
TEST_F(Counter, AcceptsATicketedCardHolderAndATypedInApplicantAtTheWindow) {
  testing::TempDir data;
  add_clerk(data, "c007", "王芳", "246810");
  const std::string shots = artifacts("counter");
  const pid_t kiosk = spawn(kiosk_args(data.path(), std::string(BIANMIN_UI_SCRIPTS) + "/ticket.txt", shots + "/kiosk"),
                            shots + "/kiosk.log");
  ASSERT_EQ(wait_for(kiosk, 120s), 0) << failure_excerpt(shots + "/kiosk.log");

  const pid_t pid = spawn(counter_args(data.path(), std::string(BIANMIN_UI_SCRIPTS) + "/counter.txt", shots),
                          shots + "/counter.log");
  const int rc = wait_for(pid, 220s);
  const std::string log = slurp(shots + "/counter.log");
  ASSERT_EQ(rc, 0) << failure_excerpt(shots + "/counter.log");
  EXPECT_GE(pngs(shots), 12u) << "a screenshot at every step";
  EXPECT_EQ(log.find("246810"), std::string::npos) << "the PIN is never logged";
  EXPECT_EQ(log.find("scrypt$"), std::string::npos) << "nor its hash";

  // At the central: two window applications of c007, each once.
  const json apps = json::parse(run({BIANMIN_CENTRAL_BINARY, "--data-dir", data.path() + "/central", "applications"}));
  ASSERT_EQ(apps.size(), 2u) << apps.dump(2);
  std::multiset<std::string> verified;
  std::set<std::string> receipts;
  for (const auto& a : apps) {
    EXPECT_EQ(a.value("channel", ""), "window");
    EXPECT_EQ(a.value("clerk_id", ""), "c007");
    verified.insert(a.value("verified_by", ""));
    receipts.insert(a.value("receipt_no", ""));
  }
  EXPECT_EQ(verified, (std::multiset<std::string>{"id_card_reader", "manual"}));
  EXPECT_EQ(receipts.size(), 2u);

  // Three pages of each material from the feeder, each its own blob, all uploaded.
  const json queue = json::parse(testing::run_bianmin({"--data-dir", data.path(), "queue", "list", "--json"}).out);
  ASSERT_EQ(queue.size(), 2u);
  for (const auto& a : queue) {
    EXPECT_EQ(a["channel"], "window");
    int m1 = 0, uploaded = 0;
    for (const auto& blob : a["blobs"]) {
      m1 += blob["material_id"] == "m1";
      uploaded += blob["uploaded"].get<bool>();
    }
    EXPECT_EQ(m1, 3) << a.dump(2);
    EXPECT_EQ(uploaded, 6);
  }

  // The ticket was served; the slips went onto the (simulated) paper.
  auto t = testing::run_bianmin({"--data-dir", data.path(), "queue", "tickets", "--json"});
  const json tickets = json::parse(t.out);
  ASSERT_EQ(tickets.size(), 1u) << t.out;
  EXPECT_EQ(tickets[0]["number"], "A001");
  EXPECT_EQ(tickets[0]["state"], "served");
  const std::string paper = slurp(data.path() + "/sim/paper.bin");
  EXPECT_NE(paper.find(testing::encode_as("服务受理单", "GB18030")), std::string::npos);
  EXPECT_NE(paper.find(testing::encode_as("受理人：王芳（c007）", "GB18030")), std::string::npos);
  auto r = testing::run_bianmin({"print", "render", "--in", data.path() + "/sim/paper.bin", "--out", shots + "/paper.png"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto qr = testing::run_bianmin({"--data-dir", data.path(), "scan", "code", "--camera", "sim:" + shots + "/paper.png",
                                  "--timeout", "10", "--json"});
  ASSERT_EQ(qr.exit_code, 0) << qr.err;
  const json code = json::parse(qr.out);
  EXPECT_EQ(code["kind"], "receipt");
  EXPECT_EQ(receipts.count(code.value("receipt_no", "")), 1u) << qr.out;
}

// Five wrong PINs lock a clerk number (the right PIN then too); a counter
// left alone locks itself and keeps nothing of the applicant it was
// serving: not on the screen, not in its memory.
TEST_F(Counter, WrongPinsLockAndAnIdleCounterForgetsTheApplicant) {
  testing::TempDir data;
  add_clerk(data, "c007", "王芳", "246810");
  add_clerk(data, "c008", "李强", "135791");
  const std::string shots = artifacts("counter-privacy");
  std::string script = slurp(std::string(BIANMIN_UI_SCRIPTS) + "/counter-privacy.txt");
  const std::string mark = data.file("ready"), go = data.file("go");
  script = std::regex_replace(script, std::regex("@MARK@"), mark);
  script = std::regex_replace(script, std::regex("@GO@"), go);
  testing::write_file(data.file("privacy.txt"), script);
  auto args = counter_args(data.path(), data.file("privacy.txt"), shots);
  args.insert(args.begin() + 1, {"--set", "counter.idle_lock_s=6"});
  args.insert(args.end(), {"--countdown", "2"});
  const pid_t pid = spawn(args, shots + "/counter.log");
  bool exited = false;
  for (int i = 0; i < 1500 && !fsys::exists(mark) && !exited; ++i) {
    exited = ::waitpid(pid, nullptr, WNOHANG) == pid;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(fsys::exists(mark)) << failure_excerpt(shots + "/counter.log");
  const MemoryScan scan = scan_memory(pid, sim_card_needles("13909360001"));
  testing::write_file(go, "");
  EXPECT_EQ(wait_for(pid, 60s), 0) << failure_excerpt(shots + "/counter.log");
  if (!scan.readable && ::geteuid() != 0) GTEST_SKIP() << "reading the counter's memory takes root (CAP_SYS_PTRACE)";
  ASSERT_TRUE(scan.readable);
  EXPECT_GT(scan.scanned, 10u << 20);
  EXPECT_TRUE(scan.hits.empty()) << scan.hits.size() << " cop(ies) of the applicant's data:" << scan.report();

  auto list = testing::run_bianmin({"--data-dir", data.path(), "clerk", "list", "--json"});
  EXPECT_NE(list.out.find("\"locked\""), std::string::npos) << list.out;
  const std::string log = slurp(shots + "/counter.log");
  for (const char* pin : {"246810", "135791", "111111"}) EXPECT_EQ(log.find(pin), std::string::npos) << pin;
}

}  // namespace
}  // namespace bianmin::ui
