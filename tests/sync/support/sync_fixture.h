// Test support for sync/: the real `bianmin-central` and `bianmin syncd`
// binaries as child processes, a terminal data directory filled through the
// core's SubmitService, and helpers to wait for outcomes with a deadline.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog_store.h"
#include "outbox/submit.h"
#include "store/store.h"
#include "support/testing.h"

namespace bianmin::sync::central {}

namespace bianmin::testing::sync {

namespace central = bianmin::sync::central;
using json = nlohmann::json;
using namespace std::chrono_literals;

inline std::string fixture(const std::string& name) { return source_path("tests/firmware/fixtures/" + name); }

// Fast sync settings so that tests take seconds; the defaults are production's.
inline const std::vector<std::string> kFastSync = {
    "sync.online_jitter_ms=0",       "sync.backoff_base_ms=20",   "sync.backoff_cap_s=1",
    "sync.probe_offline_ms=200",     "sync.probe_online_ms=1000", "sync.idle_poll_s=1",
    "sync.status_interval_s=1",      "sync.heartbeat_interval_s=1", "sync.audit_interval_s=1",
    "sync.feedback_interval_s=1",    "sync.catalog_interval_s=1", "sync.chunk_bytes=16384",
};

// In a forked child: becomes `argv` (argv[0] a path), or exits 127.
[[noreturn]] inline void exec(const std::vector<std::string>& argv) {
  std::vector<std::string> copy = argv;
  std::vector<char*> args;
  for (auto& a : copy) args.push_back(a.data());
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

// The tests' small catalogue as a central publishes it after withdrawing
// `item`: a terminal that still offers the item gets its applications for
// it refused for good (422 unknown_item), i.e. quarantined.
inline json mini_catalog_without(const std::string& item, const std::string& version) {
  json lists = json::parse(read_file(fixture("mini-catalog.json")));
  auto& items = lists["items"];
  items.erase(std::remove_if(items.begin(), items.end(), [&](const json& i) { return i["code"] == item; }), items.end());
  lists["version"] = version;
  return lists;
}

// A child process with stdout/stderr in files.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::string& log_path) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      exec(argv);
    }
  }
  ~Child() { stop(SIGKILL); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  pid_t pid() const { return pid_; }
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }
  // Sends `sig` and reaps the child.
  int stop(int sig = SIGTERM) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
};

inline CommandResult run(const std::vector<std::string>& argv) {
  TempDir io;
  const std::string out = io.file("out"), err = io.file("err");
  pid_t pid = ::fork();
  if (pid == 0) {
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(o, 1);
    ::dup2(e, 2);
    exec(argv);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

// Polls `done` every 50 ms until it holds or `limit` passes.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

// `bianmin-central serve` on a free loopback port, in its own directory.
class CentralProcess {
 public:
  // `listen`: another address, e.g. the port a stopped central had, so that
  // enrolled terminals find it again.
  explicit CentralProcess(const std::string& dir, std::vector<std::string> extra = {},
                          const std::string& listen = "127.0.0.1:0")
      : dir_(dir) {
    ::mkdir(dir.c_str(), 0700);
    ::unlink((dir_ + "/port").c_str());
    std::vector<std::string> argv = {BIANMIN_CENTRAL_BINARY, "--data-dir", dir_, "serve", "--listen", listen,
                                     "--port-file", dir_ + "/port"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    child_ = std::make_unique<Child>(argv, dir_ + "/central.log");
    EXPECT_TRUE(eventually([&] { return !read_file(dir_ + "/port").empty(); }, 10s)) << read_file(dir_ + "/central.log");
    port_ = std::atoi(read_file(dir_ + "/port").c_str());
  }
  int port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  const std::string& dir() const { return dir_; }
  CommandResult cli(std::vector<std::string> args) const {
    args.insert(args.begin(), {BIANMIN_CENTRAL_BINARY, "--data-dir", dir_});
    return run(args);
  }
  std::string fingerprint() const {
    auto r = cli({"ca-fingerprint"});
    std::string fp = r.out;
    while (!fp.empty() && fp.back() == '\n') fp.pop_back();
    return fp;
  }
  std::string enrollment_code(const std::string& terminal_id = "620702-001-K03") const {
    auto r = cli({"add-enrollment-code", "--terminal-id", terminal_id});
    std::string c = r.out;
    while (!c.empty() && c.back() == '\n') c.pop_back();
    return c;
  }
  json stats(bool verify = false) const {
    auto r = cli(verify ? std::vector<std::string>{"stats", "--verify-blobs"} : std::vector<std::string>{"stats"});
    return json::parse(r.out, nullptr, false);
  }
  json applications() const { return json::parse(cli({"applications"}).out, nullptr, false); }
  // SIGTERM: the central persists its request count on the way out.
  void stop() {
    if (child_) child_->stop(SIGTERM);
    child_.reset();
  }

 private:
  std::string dir_;
  std::unique_ptr<Child> child_;
  int port_ = 0;
};

// A terminal's data directory and the settings its commands run with.
class TerminalDir {
 public:
  explicit TerminalDir(std::string dir) : dir_(std::move(dir)) {}
  const std::string& dir() const { return dir_; }
  std::vector<std::string> sets;  // --set section.key=value for every command

  std::vector<std::string> argv(const std::vector<std::string>& args) const {
    std::vector<std::string> a = {BIANMIN_BINARY, "--data-dir", dir_, "--log-level", "info"};
    for (const auto& s : sets) {
      a.push_back("--set");
      a.push_back(s);
    }
    a.insert(a.end(), args.begin(), args.end());
    return a;
  }
  CommandResult bm(const std::vector<std::string>& args) const { return run(argv(args)); }
  std::unique_ptr<Child> syncd(const std::string& log) const { return std::make_unique<Child>(argv({"syncd"}), log); }

  CommandResult enroll(const CentralProcess& c, const std::string& code = "") const {
    return bm({"enroll", "--central", c.url(), "--code", code.empty() ? c.enrollment_code() : code, "--ca-fingerprint",
               c.fingerprint()});
  }

  std::unique_ptr<store::Store> open_store() const {
    store::StoreOptions o;
    o.data_dir = dir_;
    o.key_file = dir_ + "/device.key";
    o.min_free_mb = 0;
    auto s = store::Store::open(o);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // Queues `n` applications for T-QR-0001 (the mini catalogue), each with
  // `blobs` random pages of `min_bytes`..`max_bytes`. Returns client_ids.
  std::vector<std::string> submit(int n, int blobs, std::size_t min_bytes, std::size_t max_bytes,
                                  const std::string& item = "T-QR-0001", uint64_t seed = 1) const {
    auto s = open_store();
    std::vector<std::string> ids;
    if (!s) return ids;
    (void)s->db().exec("PRAGMA synchronous = OFF");  // test set-up speed only
    catalog::CatalogStore cs(s->db());
    if (!cs.active_version().ok() || !*cs.active_version()) {
      auto imported = cs.import(read_file(fixture("mini-catalog.json")), "test");
      EXPECT_TRUE(imported.ok());
    }
    auto active = cs.load_active();
    EXPECT_TRUE(active.ok());
    if (!active.ok()) return ids;
    auto applicant = domain::parse_applicant_json(read_file(fixture("applicant.json")));
    std::mt19937_64 rng(seed);
    outbox::SubmitService service(*s, "K03");
    for (int i = 0; i < n; ++i) {
      outbox::SubmitRequest r;
      r.draft.item = active->catalog.find(item);
      r.draft.applicant = *applicant;
      if (item == "T-QR-0001") r.draft.form = {{"phone", "0936-8212345"}, {"reason", "有效期满"}};
      for (int b = 0; b < blobs; ++b) {
        std::string page(std::uniform_int_distribution<std::size_t>(min_bytes, max_bytes)(rng), '\0');
        for (auto& ch : page) ch = static_cast<char>(rng());
        r.materials.push_back({b == blobs - 1 && blobs > 1 ? "m2" : "m1", page, "image/jpeg", 1});
      }
      auto done = service.submit(r);
      EXPECT_TRUE(done.ok()) << (done.ok() ? "" : done.error().message);
      if (done.ok()) ids.push_back(done->client_id);
    }
    return ids;
  }

  json status() const { return json::parse(bm({"sync", "status", "--json"}).out, nullptr, false); }
  int64_t count(const std::string& state) const {
    auto s = open_store();
    auto st = s->db().prepare("SELECT COUNT(*) FROM applications WHERE state = ?");
    st->bind(1, state);
    (void)st->step();
    return st->integer(0);
  }

 private:
  std::string dir_;
};

}  // namespace bianmin::testing::sync
