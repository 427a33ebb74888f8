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
#include "base/child_process.h"
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

// Runs a command to its end; its stdout, trimmed, when it exits 0.
Result<std::string> run_to_end(const std::vector<std::string>& args) {
  ChildOptions o;
  o.timeout = std::chrono::seconds(60);
  BIANMIN_ASSIGN(ChildResult r, run_child(args, o));
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == ' ')) r.out.pop_back();
  if (r.exit_code != 0)
    return make_error("sim_failed", args[0] + " " + (args.size() > 3 ? args[3] : "") + " failed: " + r.err);
  return std::move(r.out);
}

std::string find_central(const std::string& bianmin) {
  const std::string dir = bianmin.substr(0, bianmin.rfind('/'));
  for (const std::string& p : {dir + "/bianmin-central", dir + "/sync/bianmin-central", std::string("/usr/bin/bianmin-central")})
    if (::access(p.c_str(), X_OK) == 0) return p;
  return {};
}

Result<std::string> SimStack::spawn(const std::string& role, const std::vector<std::string>& args, bool want_line) {
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
  Result<std::string> line = want_line ? first_line(child->out, 15000) : Result<std::string>(std::string());
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
  // The reference central on loopback, this terminal enrolled with it, and
  // the sync daemon delivering to it.
  s->central_bin_ = find_central(o.bianmin);
  if (s->central_bin_.empty()) {
    s->notes_.push_back("central: bianmin-central not found next to bianmin: applications stay queued");
  } else {
    s->central_dir_ = o.data_dir + "/central";
    const std::vector<std::string> c{s->central_bin_, "--data-dir", s->central_dir_, "--log-level", "warn"};
    auto with = [&](std::vector<std::string> more) {
      auto v = c;
      v.insert(v.end(), more.begin(), more.end());
      return v;
    };
    BIANMIN_ASSIGN(std::string fp, run_to_end(with({"ca-fingerprint"})));
    BIANMIN_TRY(run_to_end(with({"publish-catalog", o.assets_dir + "/catalog/ganzhou-620702.json"})));
    BIANMIN_TRY(s->start_central(0));
    const std::string url = "https://127.0.0.1:" + std::to_string(s->central_port_);
    // The code and the QR a work order would carry (line 1, line 2).
    BIANMIN_ASSIGN(std::string made, run_to_end(with({"add-enrollment-code", "--terminal-id", "620702-001-K99", "--region",
                                                      "620702", "--hall-name", "甘州区政务服务中心", "--qr", url})));
    const auto nl = made.find('\n');
    const std::string code = made.substr(0, nl);
    s->enrol_qr_ = nl == std::string::npos ? "" : made.substr(nl + 1);
    if (o.enrolled)
      BIANMIN_TRY(run_to_end({o.bianmin, "--data-dir", o.data_dir, "--log-level", "warn", "enroll", "--central", url,
                              "--code", code, "--ca-fingerprint", fp}));
    BIANMIN_TRY(s->spawn("syncd", {o.bianmin, "--data-dir", o.data_dir, "--set", "sync.probe_offline_ms=500",
                                   "--set", "sync.online_jitter_ms=0", "syncd"},
                         false));
    s->notes_.push_back("central: " + url + " (data: " + s->central_dir_ + "), " +
                        (o.enrolled ? "terminal enrolled" : "terminal NOT enrolled: enrol it in service mode with " + s->enrol_qr_) +
                        ", syncd running");
  }
  for (const auto& n : s->notes_) log::info("ui", "simulated terminal", {{"part", n}});
  return s;
}

Status SimStack::start_central(int port) {
  const std::string port_file = central_dir_ + "/port";
  ::unlink(port_file.c_str());
  BIANMIN_TRY(spawn("central", {central_bin_, "--data-dir", central_dir_, "--log-level", "warn", "serve", "--listen",
                                "127.0.0.1:" + std::to_string(port), "--port-file", port_file, "--demo-advance-s", "60"},
                    false));
  for (int i = 0; i < 200; ++i) {
    if (auto text = fs::read_file(port_file); text && !text->empty()) {
      central_port_ = std::stoi(*text);
      return {};
    }
    ::usleep(25000);
  }
  return make_error("sim_failed", "the reference central did not start");
}

Status SimStack::stop_child(const std::string& role) {
  for (auto it = children_.begin(); it != children_.end(); ++it) {
    auto& c = **it;
    if (c.name != role) continue;
    ::kill(c.pid, SIGTERM);
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    ::close(c.in);
    if (c.drain.joinable()) c.drain.join();
    ::close(c.out);
    children_.erase(it);
    return {};
  }
  return make_error("sim_failed", "no " + role + " running");
}

Status SimStack::network(const std::string& state) {
  if (!has_central()) return make_error("sim_failed", "no reference central in this simulated terminal");
  if (state == "down") return stop_child("central");
  if (state == "up") {
    for (auto& c : children_)
      if (c->name == "central") return {};
    return start_central(central_port_);
  }
  return make_error("sim_failed", "network up|down");
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
