#include "base/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>


extern char** environ;

namespace bianmin {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

bool reap(pid_t pid, int& status, bool block) {
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
    if (r == pid) return true;
    if (r == 0) return false;
    if (errno != EINTR) return true;  // already gone
  }
}

}  // namespace

Result<std::string> self_executable() {
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return make_error("io_error", "cannot find this executable");
  return std::string(self, static_cast<std::size_t>(n));
}

Result<ChildResult> run_child(const std::vector<std::string>& argv, const ChildOptions& options) {
  if (argv.empty()) return make_error("usage", "no program to run");
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return make_error("io_error", "pipe");
  Fd in_r{in[0]}, in_w{in[1]};
  if (::pipe2(out, O_CLOEXEC) != 0) return make_error("io_error", "pipe");
  Fd out_r{out[0]}, out_w{out[1]};
  if (::pipe2(err, O_CLOEXEC) != 0) return make_error("io_error", "pipe");
  Fd err_r{err[0]}, err_w{err[1]};

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_r.fd, 0);
  posix_spawn_file_actions_adddup2(&fa, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_w.fd, 2);
  // Signals the caller blocks (the kiosk blocks SIGTERM for its watcher
  // thread) must not stay blocked in the child, or it could not be stopped.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  // Its own process group, so the deadline stops what it started too.
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  // A bare name ("journalctl", "grub-editenv") is looked up in PATH.
  const bool bare = argv[0].find('/') == std::string::npos;
  const int rc = bare ? ::posix_spawnp(&pid, args[0], &fa, &attr, args.data(), environ)
                      : ::posix_spawn(&pid, args[0], &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return make_error("io_error", "cannot start " + argv[0] + ": " + std::strerror(rc));
  in_r.reset();
  out_w.reset();
  err_w.reset();

  ChildResult res;
  std::size_t written = 0;
  if (options.stdin_text.empty()) in_w.reset();
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  while (out_r.fd >= 0 || err_r.fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      res.timed_out = true;
      break;
    }
    pollfd p[3] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}, {in_w.fd, POLLOUT, 0}};
    if (::poll(p, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Fd& fd = i == 0 ? out_r : err_r;
      std::string& into = i == 0 ? res.out : res.err;
      char buf[4096];
      const ssize_t n = ::read(fd.fd, buf, sizeof buf);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        fd.reset();
        continue;
      }
      if (into.size() < options.max_output) into.append(buf, std::min(static_cast<std::size_t>(n), options.max_output - into.size()));
    }
    if (in_w.fd >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(in_w.fd, options.stdin_text.data() + written, options.stdin_text.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written >= options.stdin_text.size()) in_w.reset();
    }
  }
  in_w.reset();
  int status = 0;
  if (res.timed_out) {
    ::kill(-pid, SIGTERM);
    for (int i = 0; i < 20 && !reap(pid, status, false); ++i) ::usleep(50'000);
    if (!reap(pid, status, false)) {
      ::kill(-pid, SIGKILL);
      reap(pid, status, true);
    }
    ::kill(-pid, SIGKILL);  // whatever of the group is left
    res.exit_code = -1;
    return res;
  }
  reap(pid, status, true);
  res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return res;
}

}  // namespace bianmin
