#include "sim_stack.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "base/fs.h"
#include "base/log.h"

namespace bianmin::ui {
namespace {

// Reads the first line a child prints (its address), waiting up to `ms`.
Result<std::string> first_line(int fd, int ms) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) continue;
    char c;
    const ssize_t n = ::read(fd, &c, 1);
    if (n <= 0) return make_error("sim_failed", "the simulator exited before printing its address");
    if (c == '\n') return line;
    line += c;
  }
  return make_error("sim_failed", "the simulator did not print its address in time");
}

}  // namespace

Result<std::string> SimStack::spawn(const std::string& role, const std::vector<std::string>& args) {
  int out[2], in[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(in, O_CLOEXEC) != 0) return make_error("sim_failed", "pipe");
  std::vector<std::string> argv_s = args;
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return make_error("sim_failed", "fork");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv_s[0].c_str(), argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  auto child = std::make_unique<Child>();
  child->name = role;
  child->pid = pid;
  child->in = in[1];
  child->out = out[0];
  auto line = first_line(child->out, 15000);
  // Keep reading what it prints, so that it never blocks on a full pipe.
  child->drain = std::thread([fd = child->out] {
    char buf[512];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
  });
  children_.push_back(std::move(child));
  return line;
}

Result<std::unique_ptr<SimStack>> SimStack::start(const Options& o) {
  std::unique_ptr<SimStack> s(new SimStack());
  const std::string dir = o.data_dir + "/sim";
  BIANMIN_TRY(fs::make_dirs(dir, 0700));
  // ID-card reader on a pty, the card held off the reader until a script
  // (or a technician) says `place`.
  s->idcard_socket_ = dir + "/idcard.sock";
  ::unlink(s->idcard_socket_.c_str());
  auto pty = s->spawn("idcard", {o.bianmin, "--data-dir", o.data_dir, "sim", "idcard", "--card",
                                  o.assets_dir + "/sim/" + o.card, "--removed", "--control-socket", s->idcard_socket_});
  if (!pty) return pty.take_error().context("sim idcard");
  s->idcard_device_ = "serial:" + *pty;
  // Receipt printer on loopback TCP; what it puts on paper goes to paper.bin
  // (`bianmin print render --in …/paper.bin --out receipt.png` draws it).
  auto printer = s->spawn("printer", {o.bianmin, "--data-dir", o.data_dir, "sim", "printer", "--listen", "127.0.0.1:0",
                                      "--paper", dir + "/paper.bin"});
  if (!printer) return printer.take_error().context("sim printer");
  s->printer_ = *printer;
  auto scanner = s->spawn("scanner", {o.bianmin, "--data-dir", o.data_dir, "sim", "scanner", "--kind", "serial"});
  if (!scanner) return scanner.take_error().context("sim scanner");
  s->scanner_ = *scanner;
  s->camera_ = "sim:synth:form,seed=7";
  s->notes_.push_back("idcard: " + s->idcard_device_ + " (control: " + s->idcard_socket_ + ")");
  s->notes_.push_back("printer: " + s->printer_ + " (paper: " + dir + "/paper.bin)");
  s->notes_.push_back("scanner: " + s->scanner_);
  s->notes_.push_back("camera: " + s->camera_ + " (the camera driver's simulated source)");
  s->notes_.push_back("central, syncd: not started by the kiosk yet (issue 6: bianmin-central and syncd enrolment)");
  for (const auto& n : s->notes_) log::info("ui", "simulated terminal", {{"part", n}});
  return s;
}

SimStack::~SimStack() {
  for (auto& c : children_)
    if (c->pid > 0) ::kill(c->pid, SIGTERM);
  for (auto& c : children_) {
    if (c->pid <= 0) continue;
    int status = 0;
    bool gone = false;
    for (int i = 0; i < 40 && !gone; ++i) {
      if (::waitpid(c->pid, &status, WNOHANG) == c->pid) gone = true;
      else ::usleep(50000);
    }
    if (!gone) {
      ::kill(c->pid, SIGKILL);
      ::waitpid(c->pid, &status, 0);
    }
    if (c->in >= 0) ::close(c->in);
    if (c->drain.joinable()) c->drain.join();
    if (c->out >= 0) ::close(c->out);
  }
  if (!idcard_socket_.empty()) ::unlink(idcard_socket_.c_str());
}

Result<std::string> SimStack::idcard(const std::string& line) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error("sim_failed", "socket");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, idcard_socket_.c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return make_error("sim_failed", "cannot reach the idcard simulator");
  }
  const std::string l = line + "\n";
  if (::write(fd, l.data(), l.size()) != static_cast<ssize_t>(l.size())) {
    ::close(fd);
    return make_error("sim_failed", "write");
  }
  std::string answer;
  char c;
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, 3000) > 0 && ::read(fd, &c, 1) == 1 && c != '\n') answer += c;
  ::close(fd);
  return answer;
}

Status SimStack::stdin_line(const std::string& role, const std::string& line) {
  const std::string l = line + "\n";
  for (auto& c : children_)
    if (c->name == role) {
      if (::write(c->in, l.data(), l.size()) != static_cast<ssize_t>(l.size()))
        return make_error("sim_failed", "cannot reach the " + role + " simulator");
      return {};
    }
  return make_error("sim_failed", "no " + role + " simulator");
}

}  // namespace bianmin::ui
