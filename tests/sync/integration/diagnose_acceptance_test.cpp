// Issue 10's acceptance test of `bianmin diagnose`: on the simulated terminal
// (the stack `bianmin kiosk --sim` starts, ui/sim_stack.cpp: the reference
// central, an enrolled terminal, syncd, the ID-card reader, printer and
// scanner simulators and the synthetic camera) every check is ok; with the
// printer out of paper, the central stopped, the clock 10 minutes off, a
// quarantined application and a corrupted catalogue it reports exactly
// those, each with what to do, in under 10 seconds.
//
// The screen is an Xvfb display started here (the display check needs an X
// server and an OpenGL context; Mesa's software renderer gives one), the
// fonts are the installed fonts-noto-cjk, the clock skew comes from running
// the central under libfaketime (Debian package faketime). Nothing is left
// out: every check the command runs must be ok at first.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <sys/prctl.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <set>

#include "sync/support/sync_fixture.h"

namespace bianmin::testing::sync {
namespace {

// A simulator (or Xvfb) as the kiosk's simulated terminal runs it: control
// lines on its stdin, its address on the first line of its stdout, the rest
// of what it prints kept so that a test can wait for an answer.
class Piped {
 public:
  explicit Piped(const std::vector<std::string>& argv, const std::string& err_log) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) return;
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test
      if (::getppid() != parent) ::_exit(1);
      const int err = ::open(err_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::dup2(err, 2);
      exec(argv);
    }
    ::close(in[0]);
    ::close(out[1]);
    in_ = in[1];
    out_ = out[0];
    reader_ = std::thread([this] {
      char buf[512];
      for (ssize_t n; (n = ::read(out_, buf, sizeof buf)) > 0;) {
        std::lock_guard<std::mutex> lock(mutex_);
        output_.append(buf, static_cast<std::size_t>(n));
      }
    });
  }
  ~Piped() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (in_ >= 0) ::close(in_);
    if (reader_.joinable()) reader_.join();
    if (out_ >= 0) ::close(out_);
  }
  Piped(const Piped&) = delete;
  Piped& operator=(const Piped&) = delete;

  // The first line it printed (its address), or "" after 15 s.
  std::string first_line() {
    std::string line;
    eventually([&] {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto nl = output_.find('\n');
      if (nl != std::string::npos) line = output_.substr(0, nl);
      return nl != std::string::npos;
    }, 15s);
    return line;
  }
  // Sends a control line and waits until the answer contains `answer`.
  bool control(const std::string& line, const std::string& answer) {
    std::size_t from;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      from = output_.size();
    }
    const std::string l = line + "\n";
    if (::write(in_, l.data(), l.size()) != static_cast<ssize_t>(l.size())) return false;
    return eventually([&] {
      std::lock_guard<std::mutex> lock(mutex_);
      return output_.find(answer, from) != std::string::npos;
    }, 5s);
  }

 private:
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
  std::thread reader_;
  std::mutex mutex_;
  std::string output_;
};

// libfaketime's multi-threaded preload library (the central serves on
// several threads), wherever the multiarch directory puts it.
std::string libfaketime() {
  glob_t g{};
  std::string found;
  if (::glob("/usr/lib/*/faketime/libfaketimeMT.so.1", 0, nullptr, &g) == 0 && g.gl_pathc > 0) found = g.gl_pathv[0];
  ::globfree(&g);
  return found;
}

// The reference central as the simulated terminal runs it, restartable on
// its port (the terminal is enrolled with the URL), optionally with its
// clock `skew` ahead: libfaketime's FAKETIME offset, set through env(1) so
// that the process we signal is the central itself.
class Central {
 public:
  explicit Central(std::string dir) : dir_(std::move(dir)) { ::mkdir(dir_.c_str(), 0700); }
  CommandResult cli(std::vector<std::string> args) const {
    args.insert(args.begin(), {BIANMIN_CENTRAL_BINARY, "--data-dir", dir_, "--log-level", "warn"});
    return run(args);
  }
  std::string out_of(const std::vector<std::string>& args) const {
    std::string s = cli(args).out;
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
  bool start(const std::string& skew = "") {
    const std::string port_file = dir_ + "/port";
    ::unlink(port_file.c_str());
    std::vector<std::string> argv;
    if (!skew.empty()) argv = {"/usr/bin/env", "LD_PRELOAD=" + libfaketime(), "FAKETIME=" + skew};
    argv.insert(argv.end(), {BIANMIN_CENTRAL_BINARY, "--data-dir", dir_, "--log-level", "warn", "serve", "--listen",
                             "127.0.0.1:" + std::to_string(port_), "--port-file", port_file, "--demo-advance-s", "60"});
    child_ = std::make_unique<Child>(argv, dir_ + "/central.log");
    if (!eventually([&] { return !read_file(port_file).empty(); }, 10s)) return false;
    port_ = std::atoi(read_file(port_file).c_str());
    return true;
  }
  void stop() {
    if (child_) child_->stop(SIGTERM);
    child_.reset();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return read_file(dir_ + "/central.log"); }

 private:
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<Child> child_;
};

struct Diagnosis {
  json report;
  int exit_code = -1;
  std::chrono::milliseconds took{0};
};

// What each check said, for a failure message.
std::string summary(const json& report) {
  std::string s;
  if (report.is_object())
    for (const auto& c : report["checks"])
      s += "  " + c.value("id", "?") + ": " + c.value("verdict", "?") + " | " + c.value("figure", "") + " | " +
           c.value("advice", "") + "\n";
  return s;
}

// Every check ok except those in `broken`, which carry that verdict and
// advice; and every check of the contract's groups is there.
void expect_exactly(const Diagnosis& d, const std::map<std::string, std::string>& broken) {
  ASSERT_TRUE(d.report.is_object());
  std::set<std::string> seen;
  for (const auto& c : d.report["checks"]) {
    const std::string id = c["id"];
    seen.insert(id);
    auto b = broken.find(id);
    if (b == broken.end()) {
      EXPECT_EQ(c["verdict"], "ok") << id << " should be ok:\n" << summary(d.report);
    } else {
      EXPECT_EQ(c["verdict"], b->second) << id << ":\n" << summary(d.report);
      EXPECT_FALSE(c["advice"].get<std::string>().empty()) << id << " says nothing about what to do";
    }
  }
  for (const char* id : {"config", "store.integrity", "store.free_space", "store.key_file", "catalogue", "enrolment",
                         "network", "delivery", "audit", "device.id_reader", "device.printer", "device.camera",
                         "device.scanner", "fonts", "display"})
    EXPECT_TRUE(seen.count(id)) << "no check " << id << ":\n" << summary(d.report);
}

class DiagnoseAcceptance : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(libfaketime().empty()) << "install the Debian package faketime (scripts/debian-packages.txt)";
    ASSERT_EQ(::access(BIANMIN_XVFB, X_OK), 0) << "install the Debian package xvfb";
    // The screen: a virtual X display with its number chosen by Xvfb.
    xvfb_ = std::make_unique<Piped>(std::vector<std::string>{BIANMIN_XVFB, "-displayfd", "1", "-screen", "0",
                                                             "1280x800x24", "-nolisten", "tcp"},
                                    tmp_.file("xvfb.log"));
    const std::string display = xvfb_->first_line();
    ASSERT_FALSE(display.empty()) << read_file(tmp_.file("xvfb.log"));
    ::setenv("DISPLAY", (":" + display).c_str(), 1);
    ::unsetenv("WAYLAND_DISPLAY");

    // The devices, as SimStack::start makes them.
    const std::string dir = terminal_.dir();
    ::mkdir(dir.c_str(), 0700);
    idcard_ = std::make_unique<Piped>(std::vector<std::string>{BIANMIN_BINARY, "--data-dir", dir, "sim", "idcard",
                                                               "--card", source_path("assets/sim/idcard-resident.json"),
                                                               "--removed", "--control-socket", tmp_.file("idcard.sock")},
                                      tmp_.file("sims.log"));
    printer_ = std::make_unique<Piped>(std::vector<std::string>{BIANMIN_BINARY, "--data-dir", dir, "sim", "printer",
                                                                "--listen", "127.0.0.1:0", "--paper",
                                                                tmp_.file("paper.bin")},
                                       tmp_.file("sims.log"));
    scanner_ = std::make_unique<Piped>(
        std::vector<std::string>{BIANMIN_BINARY, "--data-dir", dir, "sim", "scanner", "--kind", "serial"},
        tmp_.file("sims.log"));
    const std::string pty = idcard_->first_line(), printer = printer_->first_line(), scanner = scanner_->first_line();
    ASSERT_TRUE(!pty.empty() && !printer.empty() && !scanner.empty()) << read_file(tmp_.file("sims.log"));

    // The terminal's configuration file, as a technician leaves it: the
    // devices in [devices]; syncd fast (as the simulated terminal runs it)
    // but fetching the lists and sending heartbeats only at its start, so
    // that the central's new lists (below) reach the terminal when the
    // test says.
    std::string toml = "[devices]\nidcard = \"serial:" + pty + "\"\nprinter = \"" + printer +
                       "\"\ncamera = \"sim:synth:form,seed=7\"\nscanner = \"" + scanner + "\"\n\n[sync]\n";
    for (std::string s : kFastSync) {
      if (s.starts_with("sync.catalog_interval_s") || s.starts_with("sync.heartbeat_interval_s")) continue;
      const auto eq = s.find('=');
      toml += s.substr(5, eq - 5) + " = " + s.substr(eq + 1) + "\n";
    }
    toml += "catalog_interval_s = 3600\nheartbeat_interval_s = 3600\n";
    write_file(tmp_.file("bianmin.toml"), toml);
    // Every `bianmin` this test starts (syncd, diagnose) reads it.
    ::setenv("BIANMIN_CONFIG", tmp_.file("bianmin.toml").c_str(), 1);

    // The central with the lists, this terminal enrolled with it, syncd.
    // The lists are the tests' small catalogue: its items' forms are what
    // TerminalDir::submit fills.
    const std::string fp = central_.out_of({"ca-fingerprint"});
    const std::string code = central_.out_of({"add-enrollment-code", "--terminal-id", "620702-001-K99", "--region",
                                              "620702", "--hall-name", "甘州区政务服务中心"});
    ASSERT_EQ(central_.cli({"publish-catalog", fixture("mini-catalog.json")}).exit_code, 0);
    ASSERT_TRUE(central_.start()) << central_.log();
    auto enrolled = terminal_.bm({"enroll", "--central", central_.url(), "--code", code, "--ca-fingerprint", fp});
    ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
    syncd_ = terminal_.syncd(tmp_.file("syncd.log"));
    ASSERT_TRUE(eventually([&] { return active_catalogue() == "test-1"; }, 15s)) << read_file(tmp_.file("syncd.log"));
  }

  void TearDown() override {
    ::unsetenv("BIANMIN_CONFIG");
    ::unsetenv("DISPLAY");
  }

  std::string active_catalogue() const {
    auto s = terminal_.open_store();
    auto v = catalog::CatalogStore(s->db()).active_version();
    return v.ok() && v->has_value() ? (*v)->second : std::string();
  }

  Diagnosis diagnose() {
    Diagnosis d;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = terminal_.bm({"diagnose", "--json"});
    d.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    d.exit_code = r.exit_code;
    d.report = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(d.report.is_object()) << r.out << r.err;
    std::cout << "[ diagnose ] exit " << d.exit_code << " in " << d.took.count() << " ms\n" << summary(d.report);
    return d;
  }

  // The central withdraws T-GF-0004 from its lists after the terminal last
  // fetched them, and a resident applies for it at the terminal: the central
  // refuses it for good (422 unknown_item) and syncd quarantines it. syncd
  // is stopped meanwhile so that it does not fetch the new lists first; at
  // its start again it fetches them (the terminal then holds both).
  void quarantine_an_application() {
    syncd_->stop(SIGTERM);
    write_file(tmp_.file("withdrawn.json"), mini_catalog_without("T-GF-0004", "test-1b").dump());
    ASSERT_EQ(central_.cli({"publish-catalog", tmp_.file("withdrawn.json")}).exit_code, 0);
    ASSERT_EQ(terminal_.submit(1, 1, 500, 1500, "T-GF-0004", 2).size(), 1u);
    syncd_ = terminal_.syncd(tmp_.file("syncd.log"));
    ASSERT_TRUE(eventually([&] { return terminal_.count("quarantined") == 1 && active_catalogue() == "test-1b"; }, 20s))
        << read_file(tmp_.file("syncd.log"));
  }

  // A failing flash sector: bytes inside the active catalogue's stored text
  // turn to zeros in bianmin.db. SQLite's page structure stays intact (the
  // store's integrity check passes, as it does for such damage); only
  // reading the catalogue shows it. syncd is stopped while the file is
  // written and the WAL is checkpointed first so that the text is in the
  // main file; at its start again it only asks whether the lists changed
  // (If-None-Match), so it leaves the damage for diagnose to find.
  void corrupt_the_catalogue() {
    syncd_->stop(SIGTERM);
    std::string needle;
    {
      auto s = terminal_.open_store();
      ASSERT_TRUE(s->db().exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
      auto st = s->db().prepare("SELECT body FROM catalog_snapshots WHERE active = 1");
      ASSERT_TRUE(st.ok() && *st->step());
      const std::string body = st->text(0);
      // The new version's name, in quotes: only its JSON text holds that.
      needle = "\"test-1b\"";
      ASSERT_NE(body.find(needle), std::string::npos);
    }
    const std::string db = terminal_.dir() + "/bianmin.db";
    std::string bytes = read_file(db);
    const auto pos = bytes.find(needle);
    ASSERT_NE(pos, std::string::npos) << "the catalogue's text is not in " << db;
    ASSERT_EQ(bytes.find(needle, pos + 1), std::string::npos);
    const int fd = ::open(db.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    const std::string zeros(needle.size(), '\0');
    ASSERT_EQ(::pwrite(fd, zeros.data(), zeros.size(), static_cast<off_t>(pos)), static_cast<ssize_t>(zeros.size()));
    ::fsync(fd);
    ::close(fd);
    syncd_ = terminal_.syncd(tmp_.file("syncd.log"));
  }

  TempDir tmp_;
  std::unique_ptr<Piped> xvfb_, idcard_, printer_, scanner_;
  Central central_{tmp_.file("central")};
  TerminalDir terminal_{tmp_.file("terminal")};
  std::unique_ptr<Child> syncd_;
};

TEST_F(DiagnoseAcceptance, EveryCheckIsOkThenExactlyTheFiveBrokenThingsAreReportedWithWhatToDo) {
  const Diagnosis healthy = diagnose();
  expect_exactly(healthy, {});
  EXPECT_EQ(healthy.exit_code, 0);
  EXPECT_LT(healthy.took, 10s);

  ASSERT_TRUE(printer_->control("state paper_out", "state paper_out"));
  quarantine_an_application();
  corrupt_the_catalogue();

  // The central stopped and the clock 10 minutes off cannot both hold for
  // one central at one time: a stopped central tells no time. So the
  // broken terminal is diagnosed twice, the other three faults standing:
  // A. the central up, its clock 10 minutes ahead of the terminal's (the
  //    terminal's is 10 minutes behind; the check compares the two);
  // B. the central stopped.
  central_.stop();
  ASSERT_TRUE(central_.start("+10m")) << central_.log();
  const Diagnosis skewed = diagnose();
  central_.stop();
  const Diagnosis unreachable = diagnose();

  // The printer out of paper and the central unwell are failures; a
  // quarantined application waits for a technician's decision; the damaged
  // newest catalogue leaves the terminal on the previous one.
  const std::map<std::string, std::string> broken = {
      {"device.printer", "fail"}, {"network", "fail"}, {"delivery", "warn"}, {"catalogue", "warn"}};
  expect_exactly(skewed, broken);
  expect_exactly(unreachable, broken);
  EXPECT_EQ(skewed.exit_code, 2);
  EXPECT_EQ(unreachable.exit_code, 2);

  auto check = [](const Diagnosis& d, const std::string& id) {
    for (const auto& c : d.report["checks"])
      if (c["id"] == id) return c;
    return json::object();
  };
  // Each fault named for what it is.
  EXPECT_NE(check(skewed, "device.printer")["figure"].get<std::string>().find("paper_out"), std::string::npos);
  EXPECT_NE(check(skewed, "network")["advice"].get<std::string>().find("clock"), std::string::npos);
  EXPECT_NE(check(skewed, "network")["figure"].get<std::string>().find("-6"), std::string::npos)
      << "the terminal's clock is about 600 s behind the central's";
  EXPECT_NE(check(unreachable, "network")["figure"].get<std::string>().find("cannot reach"), std::string::npos);
  EXPECT_NE(check(skewed, "delivery")["figure"].get<std::string>().find("1 quarantined"), std::string::npos);
  // The damaged lists named, and the ones residents see meanwhile (test-1,
  // three items), not a mix of the two.
  const std::string catalogue = check(skewed, "catalogue")["figure"];
  EXPECT_NE(catalogue.find("test-1b is damaged"), std::string::npos) << catalogue;
  EXPECT_NE(catalogue.find("previous version test-1, 3 items"), std::string::npos) << catalogue;

  // Under 10 seconds: each diagnosis, and the two of the broken terminal together.
  EXPECT_LT(skewed.took, 10s);
  EXPECT_LT(unreachable.took, 10s);
  EXPECT_LT(skewed.took + unreachable.took, 10s);
  syncd_->stop(SIGTERM);
}

}  // namespace
}  // namespace bianmin::testing::sync
