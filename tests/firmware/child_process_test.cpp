// Running a command to its end from a threaded process: output, exit code,
// standard input, and a deadline that is kept.
#include <gtest/gtest.h>

#include <chrono>

#include "base/child_process.h"

namespace bianmin {
namespace {

TEST(ChildProcess, CollectsOutputAndExitCode) {
  auto r = run_child({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_FALSE(r->timed_out);
}

TEST(ChildProcess, FeedsStandardInput) {
  ChildOptions o;
  o.stdin_text = std::string(200000, 'x') + "\n";  // more than a pipe holds
  auto r = run_child({"/bin/sh", "-c", "wc -c"}, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(std::stoi(r->out), 200001);
}

TEST(ChildProcess, AHungChildIsStoppedAtTheDeadline) {
  ChildOptions o;
  o.timeout = std::chrono::milliseconds(300);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = run_child({"/bin/sh", "-c", "trap '' TERM; sleep 31"}, o);  // even one that ignores SIGTERM
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  // What it started went with it.
  auto left = run_child({"/bin/sh", "-c", "pgrep -f 'slee[p] 31' || true"});
  EXPECT_EQ(left->out, "");
}

TEST(ChildProcess, AProgramThatDoesNotExistIsAnError) {
  EXPECT_FALSE(run_child({"/nonexistent/program"}));
  EXPECT_FALSE(run_child({"no-such-program-anywhere"}));
  auto found = run_child({"sh", "-c", "exit 4"});  // a bare name is looked up in PATH
  ASSERT_TRUE(found);
  EXPECT_EQ(found->exit_code, 4);
  EXPECT_FALSE(run_child({}));
}

}  // namespace
}  // namespace bianmin
