// A full disk, for real: the store lives on a 1 MiB tmpfs mounted in a
// private mount namespace, and residents keep submitting until it is full.
// The failing submit must say "disk_full" and every earlier application
// must still be intact; after space is freed, submitting works again.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "store_fixture.h"

namespace bianmin {
namespace {

enum ChildExit { kPass = 0, kNoNamespace = 77, kSetup = 10, kNeverFull, kWrongError, kLost, kNotOk, kNoRecovery };

int run_in_full_disk(const testing::TempDir& dir) {
  if (unshare(CLONE_NEWNS) != 0) return kNoNamespace;
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return kNoNamespace;
  const std::string mnt = dir.path() + "/data";
  std::filesystem::create_directories(mnt);
  if (mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=1m") != 0) return kNoNamespace;

  auto s = store::Store::open(testing::options_for(dir));
  if (!s.ok()) return kSetup;
  auto cat = testing::import_mini(**s);
  // Ballast that a technician could delete to make room.
  testing::write_file(mnt + "/ballast", std::string(128 * 1024, 'b'));
  outbox::SubmitService svc(**s, "K01");
  std::mt19937_64 rng(7);
  std::vector<std::string> acked;
  Error last{"", ""};
  for (int i = 0; i < 100; ++i) {
    std::string page(48 * 1024, '\0');
    for (auto& c : page) c = static_cast<char>(rng());
    auto req = testing::valid_request(cat, page);
    auto r = svc.submit(req);
    if (!r.ok()) {
      last = r.error();
      break;
    }
    acked.push_back(r->client_id);
  }
  if (last.code.empty()) return kNeverFull;
  std::fprintf(stderr, "full after %zu submits: %s\n", acked.size(), last.message.c_str());
  if (last.code != "disk_full") return kWrongError;
  outbox::ApplicationStore apps(**s);
  for (const auto& id : acked) {
    auto rec = apps.get(id);
    if (!rec.ok() || !rec->has_value() || !apps.request_body(id).ok()) return kLost;
    for (const auto& b : (*rec)->blobs)
      if (!(*s)->blobs().get(b.sha256).ok()) return kLost;
  }
  auto rep = (*s)->recover();
  if (!rep.ok() || !rep->missing.empty()) return kLost;
  if (!std::filesystem::is_empty((*s)->blobs().tmp_dir())) return kLost;
  auto ic = (*s)->db().integrity_check();
  if (!ic.ok() || *ic != "ok") return kNotOk;
  // Free space and carry on.
  std::filesystem::remove(mnt + "/ballast");
  auto req = testing::valid_request(cat, "small page after cleanup");
  if (!svc.submit(req).ok()) return kNoRecovery;
  return kPass;
}

TEST(DiskFull, ClearErrorAndNothingLost) {
  testing::TempDir dir;
  pid_t pid = fork();
  if (pid == 0) _exit(run_in_full_disk(dir));
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  const int code = WEXITSTATUS(status);
  if (code == kNoNamespace) GTEST_SKIP() << "cannot mount a tmpfs here (needs root and mount namespaces)";
  EXPECT_EQ(code, kPass) << "10 setup, 11 never full, 12 wrong error, 13 lost data, 14 integrity, 15 no recovery";
}

}  // namespace
}  // namespace bianmin
