// A process that has called forbid_core_dumps leaves no core file and is
// not dumpable. Checked in a forked child: the test binary keeps its own.
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/core_dumps.h"

namespace bianmin {
namespace {

// The child's exit codes.
enum : int { kOk = 0, kRefused = 1, kDumpable = 2, kCoreLimit = 3, kRaised = 4 };

int child() {
  if (!forbid_core_dumps()) return kRefused;
  if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) return kDumpable;
  rlimit r{};
  if (::getrlimit(RLIMIT_CORE, &r) != 0 || r.rlim_cur != 0 || r.rlim_max != 0) return kCoreLimit;
  // The hard limit is 0 too: without CAP_SYS_RESOURCE it cannot come back.
  if (::geteuid() != 0) {
    const rlimit some{4096, 4096};
    if (::setrlimit(RLIMIT_CORE, &some) == 0) return kRaised;
  }
  return kOk;
}

TEST(CoreDumps, AGuardedProcessIsNotDumpableAndHasNoCoreLimit) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) ::_exit(child());
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), kOk) << "1 refused, 2 still dumpable, 3 core limit not 0, 4 limit raised again";
  // This process, which did not call it, is as it was.
  EXPECT_EQ(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
}

}  // namespace
}  // namespace bianmin
