// The kiosk under test: the real `bianmin kiosk --sim` in a headless X
// server (Xvfb, one per test binary), started with a script of touches;
// helpers to run our commands and read what they left.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "printer/render/paper.h"
#include "support/testing.h"

namespace bianmin::ui {

namespace fsys = std::filesystem;
using namespace std::chrono_literals;

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// What a failed kiosk run says about itself: the automation's complaint
// (which line, why) and the end of its log, where the failure is.
inline std::string failure_excerpt(const std::string& log_path) {
  const std::string log = slurp(log_path);
  std::string out;
  for (std::size_t at = log.find("automation:"); at != std::string::npos; at = log.find("automation:", at + 1))
    out += log.substr(at, log.find('\n', at) - at) + "\n";
  return out + "...\n" + (log.size() > 3000 ? log.substr(log.size() - 3000) : log);
}

inline pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(copy[0].c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits for `pid` (bounded); kills it when it overstays. The exit code.
inline int wait_for(pid_t pid, std::chrono::seconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < end) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(50ms);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

inline std::string run(const std::vector<std::string>& args) {
  const std::string log = testing::TempDir().path() + ".out";
  const pid_t pid = spawn(args, log);
  wait_for(pid, 60s);
  std::string out = slurp(log);
  ::unlink(log.c_str());
  return out;
}

class Kiosk : public ::testing::Test {
 protected:
  // One X server for the whole suite (-displayfd picks a free display).
  static void SetUpTestSuite() {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    xvfb_ = ::fork();
    if (xvfb_ == 0) {
      ::close(fds[0]);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 2);
      const std::string fd = std::to_string(fds[1]);
      ::execl(BIANMIN_XVFB, "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1920x1920x24", "-nolisten", "tcp",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string display;
    char c;
    while (::read(fds[0], &c, 1) == 1 && c != '\n') display += c;
    ::close(fds[0]);
    ASSERT_FALSE(display.empty()) << "Xvfb did not start";
    ::setenv("DISPLAY", (":" + display).c_str(), 1);
  }
  static void TearDownTestSuite() {
    if (xvfb_ > 0) {
      ::kill(xvfb_, SIGTERM);
      ::waitpid(xvfb_, nullptr, 0);
    }
  }

  std::string artifacts(const std::string& name) {
    const std::string dir = std::string(BIANMIN_UI_ARTIFACTS) + "/" + name;
    fsys::remove_all(dir);
    fsys::create_directories(dir);
    return dir;
  }
  static std::vector<std::string> kiosk_args(const std::string& data, const std::string& script, const std::string& shots) {
    return {BIANMIN_BINARY, "--data-dir", data, "kiosk", "--sim", "--script", script, "--screenshot-dir", shots};
  }
  static std::size_t pngs(const std::string& dir) {
    std::size_t n = 0;
    for (const auto& e : fsys::directory_iterator(dir)) n += e.path().extension() == ".png";
    return n;
  }

  // The kiosk without --sim reads its lists from the store.
  static void import_sample(const testing::TempDir& data) {
    auto imp = testing::run_bianmin({"--data-dir", data.path(), "catalog", "import", testing::sample_catalog_path()});
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
  }
  // Pixels whose grey level differs by more than 48 between two screenshots
  // (SIZE_MAX when they cannot be compared).
  static std::size_t differing_pixels(const std::string& a, const std::string& b) {
    auto x = drivers::printer::read_png(a), y = drivers::printer::read_png(b);
    if (!x || !y || x->pixels.size() != y->pixels.size()) return SIZE_MAX;
    std::size_t n = 0;
    for (std::size_t i = 0; i < x->pixels.size(); ++i) n += std::abs(int{x->pixels[i]} - int{y->pixels[i]}) > 48;
    return n;
  }

  static inline pid_t xvfb_ = -1;
};

}  // namespace bianmin::ui
