// Power-cut safety: SIGKILL at random moments during 200 consecutive
// submits. Every submit that returned success must survive with all its
// blobs, the database must pass integrity_check, and restart must leave no
// temp files behind.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>

#include "base/fs.h"
#include "store_fixture.h"

namespace bianmin {
namespace {

constexpr int kTarget = 200;

// Child: open the store (running recovery, as a restarted kiosk would),
// then submit until killed, reporting each acknowledged client_id.
[[noreturn]] void child_loop(const testing::TempDir& dir, int fd, uint64_t seed) {
  auto s = store::Store::open(testing::options_for(dir));
  if (!s.ok() || !(*s)->recover().ok()) _exit(3);
  auto active = catalog::CatalogStore((*s)->db()).load_active();
  if (!active.ok()) _exit(4);
  outbox::SubmitService svc(**s, "K07");
  std::mt19937_64 rng(seed);
  for (;;) {
    std::string page(16384 + rng() % 16384, '\0');
    for (auto& c : page) c = static_cast<char>(rng());
    auto req = testing::valid_request(active->catalog, page);
    req.materials.push_back({"m2", page.substr(0, 5000) + std::to_string(rng()), "image/jpeg", 1});
    auto r = svc.submit(req);
    if (!r.ok()) _exit(5);
    const std::string line = r->client_id + "\n";
    if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(6);
  }
}

TEST(Crash, SigkillDuringSubmitsLosesNothingAcknowledged) {
  testing::TempDir dir;
  {
    auto s = testing::open_store(dir);
    testing::import_mini(*s);
  }
  std::set<std::string> acked;
  std::mt19937_64 rng(20261122);
  int kills = 0, rounds = 0;
  // Kill after 0..window; on a loaded machine a child may need longer to
  // get going, so the window widens after a round without progress.
  int64_t window_us = 60000;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (static_cast<int>(acked.size()) < kTarget && std::chrono::steady_clock::now() < give_up) {
    ++rounds;
    const std::size_t before = acked.size();
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      child_loop(dir, fds[1], rng());
    }
    close(fds[1]);
    // Let it run, then pull the plug, unless the target is reached.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(rng() % window_us);
    std::string buf;
    bool exited = false;
    // …or after a random number of acknowledgements, so that a fast machine
    // is interrupted as often as a slow one.
    const std::size_t cap = before + 1 + rng() % 10;
    while (std::chrono::steady_clock::now() < deadline && static_cast<int>(acked.size()) < kTarget &&
           acked.size() < cap) {
      pollfd p{fds[0], POLLIN, 0};
      if (poll(&p, 1, 1) > 0) {
        char tmp[4096];
        ssize_t n = read(fds[0], tmp, sizeof tmp);
        if (n <= 0) {
          exited = true;
          break;
        }
        buf.append(tmp, static_cast<std::size_t>(n));
        for (auto nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n')) {
          acked.insert(buf.substr(0, nl));
          buf.erase(0, nl + 1);
        }
      }
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_FALSE(exited && !(WIFSIGNALED(status))) << "child failed with exit " << WEXITSTATUS(status);
    // Acknowledgements already in the pipe count: submit() had returned.
    char tmp[4096];
    ssize_t n;
    while ((n = read(fds[0], tmp, sizeof tmp)) > 0) buf.append(tmp, static_cast<std::size_t>(n));
    for (auto nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n')) {
      acked.insert(buf.substr(0, nl));
      buf.erase(0, nl + 1);
    }
    close(fds[0]);
    ++kills;
    window_us = acked.size() > before ? 60000 : std::min<int64_t>(window_us * 2, 2000000);
  }
  ASSERT_GE(static_cast<int>(acked.size()), kTarget);
  EXPECT_GE(kills, 20) << "the test must actually interrupt submits";

  auto s = testing::open_store(dir);
  auto rep = s->recover();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->missing.empty());
  EXPECT_EQ(*s->db().integrity_check(), "ok");
  EXPECT_TRUE(fs::list_files(s->blobs().tmp_dir())->empty()) << "no temp files survive restart";
  outbox::ApplicationStore apps(*s);
  for (const auto& id : acked) {
    auto rec = apps.get(id);
    ASSERT_TRUE(rec.ok() && rec->has_value()) << "acknowledged application lost: " << id;
    ASSERT_EQ((*rec)->blobs.size(), 2u);
    for (const auto& b : (*rec)->blobs) {
      auto bytes = s->blobs().get(b.sha256);
      ASSERT_TRUE(bytes.ok()) << bytes.error().message;
      EXPECT_EQ(static_cast<int64_t>(bytes->size()), b.bytes);
    }
    EXPECT_TRUE(apps.request_body(id).ok());
  }
  // Receipt numbers stayed unique across every crash.
  auto all = apps.list({});
  std::set<std::string> receipts;
  for (const auto& a : *all) receipts.insert(a.receipt_no);
  EXPECT_EQ(receipts.size(), all->size());
  std::printf("crash test: %zu acknowledged, %zu stored, %d kills\n", acked.size(), all->size(), kills);
}

}  // namespace
}  // namespace bianmin
