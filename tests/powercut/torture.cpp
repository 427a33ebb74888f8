#include "powercut/torture.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "powercut/lazy_disk.h"

namespace bianmin::testing::powercut {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Ran {
  int exit_code = -1;
  std::string out;
};

pid_t spawn(const std::vector<std::string>& argv, const std::string& log, int stdout_fd = -1) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    ::dup2(stdout_fd >= 0 ? stdout_fd : fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

// Runs to the end; `pid_slot` (when given) holds the pid meanwhile, so that
// a cut can kill it.
Ran run(const std::vector<std::string>& argv, const std::string& log, std::atomic<pid_t>* pid_slot = nullptr) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return {};
  const pid_t pid = spawn(argv, log, pipefd[1]);
  ::close(pipefd[1]);
  if (pid_slot) *pid_slot = pid;
  Ran r;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) r.out.append(buf, static_cast<std::size_t>(n));
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (pid_slot) *pid_slot = 0;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

void remove_tree(const std::string& path) {
  if (!path.empty()) run({"/bin/rm", "-rf", path}, "/dev/null");
}
void copy_tree(const std::string& from, const std::string& to) { run({"/bin/cp", "-a", from, to}, "/dev/null"); }

class Torture {
 public:
  explicit Torture(const TortureOptions& o) : o_(o), rng_(o.seed) {}

  TortureReport run_all() {
    const auto started = Clock::now();
    if (set_up()) {
      for (int i = 1; i <= o_.cuts && report_.first_failure.empty(); ++i) cut_once(i);
      if (report_.first_failure.empty()) drain_and_count();
    }
    stop_central();
    report_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return report_;
  }

 private:
  std::vector<std::string> bm(const std::string& data_dir, std::vector<std::string> args) const {
    args.insert(args.begin(), {o_.bianmin, "--data-dir", data_dir});
    return args;
  }
  std::string path(const std::string& name) const { return o_.work_dir + "/" + name; }
  void failure(const std::string& what) {
    if (report_.first_failure.empty()) report_.first_failure = what;
    std::fprintf(stderr, "powercut: %s\n", what.c_str());
  }

  bool set_up() {
    remove_tree(o_.work_dir);
    ::mkdir(o_.work_dir.c_str(), 0700);
    ::mkdir(path("central").c_str(), 0700);
    ::mkdir(path("mnt").c_str(), 0700);
    central_ = spawn({o_.central, "--data-dir", path("central"), "serve", "--listen", "127.0.0.1:0", "--port-file",
                      path("central/port")},
                     path("central.log"));
    std::string port;
    for (int i = 0; i < 200 && port.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (std::FILE* f = std::fopen(path("central/port").c_str(), "r")) {
        char buf[16] = {};
        if (std::fgets(buf, sizeof buf, f)) port = buf;
        std::fclose(f);
      }
    }
    while (!port.empty() && (port.back() == '\n')) port.pop_back();
    if (port.empty()) return failure("the central did not start"), false;
    auto central_cli = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {o_.central, "--data-dir", path("central")});
      return run(args, path("central-cli.log"));
    };
    if (central_cli({"publish-catalog", o_.fixtures + "/mini-catalog.json"}).exit_code != 0)
      return failure("publish-catalog failed"), false;
    std::string code = central_cli({"add-enrollment-code", "--terminal-id", "620702-001-K07"}).out;
    std::string fp = central_cli({"ca-fingerprint"}).out;
    while (!code.empty() && code.back() == '\n') code.pop_back();
    while (!fp.empty() && fp.back() == '\n') fp.pop_back();
    state_ = path("state-0");
    ::mkdir(state_.c_str(), 0700);
    if (run(bm(state_, {"catalog", "import", o_.fixtures + "/mini-catalog.json"}), path("cli.log")).exit_code != 0)
      return failure("catalog import failed"), false;
    if (run(bm(state_, {"enroll", "--central", "https://127.0.0.1:" + port, "--code", code, "--ca-fingerprint", fp}),
            path("cli.log")).exit_code != 0)
      return failure("enrolment failed (see cli.log)"), false;
    return true;
  }

  // A small "scanned page" on the host's disk (it is the camera's, not the
  // terminal's store), different every time.
  std::string write_page() {
    const std::string file = path("page.jpg");
    std::string bytes = "\xff\xd8\xff";
    for (int i = 0; i < 3000; ++i) bytes += static_cast<char>(page_rng_());
    if (std::FILE* f = std::fopen(file.c_str(), "w")) {
      std::fwrite(bytes.data(), 1, bytes.size(), f);
      std::fclose(f);
    }
    return file;
  }

  // One life of the terminal: start, work, lose power, restart, check.
  void cut_once(int n) {
    const std::string live = path("live"), mnt = path("mnt");
    remove_tree(live);
    copy_tree(state_, live);
    std::string error;
    auto disk = LazyDisk::mount(live, mnt, &error);
    if (!disk) return failure(error);

    std::atomic<bool> stop{false}, done{false};
    std::atomic<pid_t> submitting{0};
    std::vector<json> acked_now;
    std::thread submitter([&] {
      while (!stop) {
        // A different page each time: blobs are stored by content, so that
        // every application writes its own.
        const std::string page = write_page();
        auto r = run(bm(mnt, {"submit", "--item", "T-QR-0001", "--applicant", o_.fixtures + "/applicant.json", "--form",
                              o_.fixtures + "/form.json", "--material", "m1=" + page, "--json"}),
                     path("submit.log"), &submitting);
        if (r.exit_code == 0) {
          auto receipt = json::parse(r.out, nullptr, false);
          if (receipt.is_object() && receipt.contains("client_id")) acked_now.push_back(receipt);
        }
      }
      done = true;
    });
    const pid_t syncd = spawn(bm(mnt, {"syncd"}), path("syncd.log"));
    const int delay = std::uniform_int_distribution<int>(0, o_.max_delay_ms)(rng_);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));

    // The power goes: every process at once, then the disk.
    stop = true;
    ::kill(syncd, SIGKILL);
    while (!done) {  // the submit running now, or one just forked
      if (pid_t p = submitting.load()) ::kill(p, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    submitter.join();
    ::waitpid(syncd, nullptr, 0);
    if (o_.keep_live) {  // what the programs saw just before the cut, for a look after a failure
      remove_tree(path("live-before-cut"));
      copy_tree(live, path("live-before-cut"));
    }
    const std::string next = path("state-" + std::to_string(n % 2 == 1 ? 1 : 0));
    remove_tree(next);
    ::mkdir(next.c_str(), 0700);
    if (!disk->cut(next, &error)) return failure("cut " + std::to_string(n) + ": " + error);
    report_.file_syncs += disk->model().file_syncs();
    report_.dir_syncs += disk->model().dir_syncs();
    disk.reset();
    for (auto& a : acked_now) acknowledged_[a["client_id"].get<std::string>()] = a.value("receipt_no", "");
    report_.acknowledged = static_cast<int>(acknowledged_.size());
    ++report_.cuts;
    state_ = next;
    check_after_restart(n, delay);
  }

  void check_after_restart(int n, int delay) {
    const std::string at = "after cut " + std::to_string(n) + " (" + std::to_string(delay) + " ms)";
    auto check = run(bm(state_, {"store", "check", "--json"}), path("check.log"));
    auto checked = json::parse(check.out, nullptr, false);
    if (check.exit_code != 0 || !checked.is_object() || !checked.value("ok", false)) {
      ++report_.integrity_failures;
      keep_failed(n);
      return failure(at + ": store check: " + check.out);
    }
    auto audit = run(bm(state_, {"audit", "verify"}), path("check.log"));
    if (audit.exit_code != 0) {
      ++report_.audit_failures;
      keep_failed(n);
      return failure(at + ": audit verify: " + audit.out);
    }
    auto list = json::parse(run(bm(state_, {"queue", "list", "--limit", "100000000", "--json"}), path("check.log")).out, nullptr, false);
    std::set<std::string> present;
    if (list.is_array())
      for (const auto& a : list) {
        present.insert(a.value("client_id", ""));
        // A receipt the central can never get is as lost as a missing one.
        if (a.value("state", "") == "quarantined" && acknowledged_.count(a.value("client_id", ""))) {
          ++report_.lost;
          keep_failed(n);
          failure(at + ": receipt " + a.value("receipt_no", "") + " quarantined: " + a.value("quarantine_reason", ""));
        }
      }
    for (const auto& [id, receipt] : acknowledged_) {
      if (present.count(id)) continue;
      ++report_.lost;
      keep_failed(n);
      failure(at + ": receipt " + receipt + " (" + id + ") was printed and is gone");
    }
    if (o_.verbose)
      std::fprintf(stderr, "powercut: cut %d at %d ms: %zu acknowledged, %zu stored\n", n, delay,
                   acknowledged_.size(), present.size());
  }

  // Once per cut, however many checks failed after it.
  void keep_failed(int n) {
    if (kept_cut_ == n) return;
    kept_cut_ = n;
    copy_tree(state_, path("failed-after-cut-" + std::to_string(n)));
  }

  // Power stays on at last: syncd delivers everything, then the central's
  // list is compared with the receipts.
  void drain_and_count() {
    const pid_t syncd = spawn(bm(state_, {"syncd"}), path("syncd.log"));
    const auto deadline = Clock::now() + std::chrono::seconds(180);
    for (;;) {
      auto queued = json::parse(run(bm(state_, {"queue", "list", "--state", "queued", "--limit", "100000000", "--json"}), path("check.log")).out,
                                nullptr, false);
      if (queued.is_array() && queued.empty()) break;
      if (Clock::now() > deadline) {
        failure("the final drain did not deliver everything in 180 s");
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    ::kill(syncd, SIGTERM);
    ::waitpid(syncd, nullptr, 0);
    auto apps = json::parse(run({o_.central, "--data-dir", path("central"), "applications"}, path("central-cli.log")).out,
                            nullptr, false);
    std::map<std::string, int> times;
    if (apps.is_array())
      for (const auto& a : apps) ++times[a.value("client_id", "")];
    for (const auto& [id, count] : times)
      if (count > 1) ++report_.duplicated_at_central;
    for (const auto& [id, receipt] : acknowledged_)
      if (!times.count(id)) ++report_.missing_at_central;
  }

  void stop_central() {
    if (central_ > 0) {
      ::kill(central_, SIGTERM);
      ::waitpid(central_, nullptr, 0);
      central_ = -1;
    }
  }

  TortureOptions o_;
  std::mt19937_64 rng_;
  std::mt19937_64 page_rng_{rng_()};  // the submit thread's own
  TortureReport report_;
  pid_t central_ = -1;
  int kept_cut_ = 0;
  std::string state_;
  std::map<std::string, std::string> acknowledged_;  // client id → receipt number
};

}  // namespace

json TortureReport::to_json() const {
  return {{"cuts", cuts},
          {"acknowledged", acknowledged},
          {"lost", lost},
          {"integrity_failures", integrity_failures},
          {"audit_failures", audit_failures},
          {"duplicated_at_central", duplicated_at_central},
          {"missing_at_central", missing_at_central},
          {"file_syncs", file_syncs},
          {"dir_syncs", dir_syncs},
          {"seconds", seconds},
          {"ok", ok()},
          {"first_failure", first_failure}};
}

TortureReport run_torture(const TortureOptions& options) { return Torture(options).run_all(); }

}  // namespace bianmin::testing::powercut
