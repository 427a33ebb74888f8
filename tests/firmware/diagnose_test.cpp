// The diagnose report: order, timeouts, repairs and the --json contract.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "diagnose/report.h"

namespace bianmin::diagnose {
namespace {

using namespace std::chrono_literals;

Check check(std::string id, Stage stage, std::function<Finding()> fn, std::chrono::milliseconds timeout = 1s) {
  return Check{id, "title of " + id, stage, timeout, std::move(fn), nullptr};
}

TEST(Diagnose, ChecksRunInStageOrderAndTheWorstVerdictDecidesTheExitCode) {
  std::vector<std::string> ran;
  Checklist list;
  list.add(check("display", Stage::display, [&] { ran.push_back("display"); return ok("1920x1080"); }));
  list.add(check("config", Stage::configuration, [&] { ran.push_back("config"); return ok("defaults"); }));
  list.add(check("network", Stage::network, [&] { ran.push_back("network"); return warn("skew 40 s", "set the clock"); }));
  list.add(check("store", Stage::store, [&] { ran.push_back("store"); return ok("integrity ok"); }));
  Report r = run(list.take(), {});
  EXPECT_EQ(ran, (std::vector<std::string>{"config", "store", "network", "display"}));
  EXPECT_EQ(r.verdict(), Verdict::warn);
  EXPECT_EQ(r.exit_code(), 1);

  Checklist failing;
  failing.add(check("a", Stage::store, [] { return warn("w", "x"); }));
  failing.add(check("b", Stage::audit, [] { return fail("broken", "report it"); }));
  EXPECT_EQ(run(failing.take(), {}).exit_code(), 2);
  Checklist fine;
  fine.add(check("a", Stage::store, [] { return ok("fine"); }));
  EXPECT_EQ(run(fine.take(), {}).exit_code(), 0);
}

TEST(Diagnose, JsonFollowsTheContract) {
  Checklist list;
  list.add(check("enrolment", Stage::enrolment, [] { return fail("not enrolled", "enrol it"); }));
  list.add(check("store", Stage::store, [] { return ok("integrity ok"); }));
  const auto j = run(list.take(), {}).to_json(false);
  ASSERT_TRUE(j["checks"].is_array());
  ASSERT_EQ(j["checks"].size(), 2u);
  EXPECT_EQ(j["verdict"], "fail");
  const auto& first = j["checks"][0];
  EXPECT_EQ(first["id"], "store");
  EXPECT_EQ(first["title"], "title of store");
  EXPECT_EQ(first["verdict"], "ok");
  EXPECT_EQ(first["figure"], "integrity ok");
  EXPECT_EQ(first["advice"], "");
  EXPECT_EQ(j["checks"][1]["verdict"], "fail");
  EXPECT_EQ(j["checks"][1]["advice"], "enrol it");
  EXPECT_FALSE(j.contains("repairs"));
}

TEST(Diagnose, AHangingCheckFailsAtItsTimeoutAndTheReportGoesOn) {
  auto release = std::make_shared<std::atomic<bool>>(false);
  Checklist list;
  list.add(check("device.printer", Stage::devices, [release] {
    while (!release->load()) std::this_thread::sleep_for(5ms);  // a read that never returns
    return ok("never seen");
  }, 200ms));
  list.add(check("display", Stage::display, [] { return ok("800x1280"); }));
  const auto t0 = std::chrono::steady_clock::now();
  Report r = run(list.take(), {});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  ASSERT_EQ(r.checks.size(), 2u);
  EXPECT_EQ(r.checks[0].finding.verdict, Verdict::fail);
  EXPECT_NE(r.checks[0].finding.figure.find("no answer within 0.2 s"), std::string::npos) << r.checks[0].finding.figure;
  EXPECT_FALSE(r.checks[0].finding.advice.empty());
  EXPECT_EQ(r.checks[1].finding.verdict, Verdict::ok);
  EXPECT_TRUE(r.abandoned_a_check);
  release->store(true);  // let the abandoned thread end before the test does
  std::this_thread::sleep_for(50ms);
}

TEST(Diagnose, ACheckThatThrowsFailsWithWhatItThrew) {
  Checklist list;
  list.add(check("fonts", Stage::fonts, []() -> Finding { throw std::runtime_error("no fontconfig"); }));
  Report r = run(list.take(), {});
  EXPECT_EQ(r.checks[0].finding.verdict, Verdict::fail);
  EXPECT_NE(r.checks[0].finding.figure.find("no fontconfig"), std::string::npos);
  EXPECT_FALSE(r.abandoned_a_check);
}

TEST(Diagnose, FixRepairsOnlyWhatDidNotPassAndReportsTheStateAfterwards) {
  bool catalogue_good = false;
  int fixes_of_ok_check = 0;
  Checklist list;
  list.add(check("catalogue", Stage::catalogue,
                 [&] { return catalogue_good ? ok("version 2, 12 items") : fail("does not load", "re-request it"); }));
  list.add(check("store", Stage::store, [] { return ok("integrity ok"); }));
  ASSERT_TRUE(list.set_fix("catalogue", [&](const Finding& f) -> std::optional<std::string> {
    EXPECT_EQ(f.figure, "does not load");
    catalogue_good = true;
    return "re-requested the catalogue";
  }));
  ASSERT_TRUE(list.set_fix("store", [&](const Finding&) -> std::optional<std::string> {
    ++fixes_of_ok_check;
    return "should not run";
  }));
  EXPECT_FALSE(list.set_fix("nonexistent", [](const Finding&) { return std::optional<std::string>(); }));
  auto checks = list.take();

  Report without = run(checks, {});
  EXPECT_EQ(without.verdict(), Verdict::fail);
  EXPECT_TRUE(without.repairs.empty());
  EXPECT_FALSE(catalogue_good);

  Report with = run(checks, {true});
  EXPECT_EQ(with.verdict(), Verdict::ok);
  ASSERT_EQ(with.repairs.size(), 1u);
  EXPECT_EQ(with.repairs[0].id, "catalogue");
  EXPECT_EQ(with.repairs[0].action, "re-requested the catalogue");
  EXPECT_EQ(fixes_of_ok_check, 0);
  const auto j = with.to_json(true);
  EXPECT_EQ(j["repairs"][0]["action"], "re-requested the catalogue");
  EXPECT_NE(with.to_text().find("fixed catalogue: re-requested the catalogue"), std::string::npos);
}

}  // namespace
}  // namespace bianmin::diagnose
