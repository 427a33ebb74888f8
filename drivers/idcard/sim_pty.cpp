#include "idcard/sim_pty.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>

#include "base/log.h"

namespace bianmin::drivers::idcard {
namespace {

using Clock = std::chrono::steady_clock;

Error sys_error(std::string_view op) { return make_error("sim_failed", std::string(op) + ": " + std::strerror(errno)); }

void set_nonblock(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    const ssize_t m = n < 0 && errno == ENOTSOCK ? ::write(fd, s.data(), s.size()) : n;
    if (m < 0 && errno == EINTR) continue;
    if (m <= 0) return;
    s.remove_prefix(static_cast<std::size_t>(m));
  }
}

struct Pending {
  Clock::time_point due;
  Bytes bytes;
};

}  // namespace

Result<std::unique_ptr<SimPty>> SimPty::open(SimPtyOptions options) {
  std::unique_ptr<SimPty> s(new SimPty());
  s->options_ = std::move(options);
  s->master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s->master_ < 0) return sys_error("posix_openpt");
  if (::grantpt(s->master_) != 0 || ::unlockpt(s->master_) != 0) return sys_error("grantpt/unlockpt");
  char name[128];
  if (::ptsname_r(s->master_, name, sizeof name) != 0) return sys_error("ptsname");
  s->path_ = name;
  // Hold the slave open and make it raw ourselves, so the line discipline
  // never echoes or translates bytes before a client has configured it.
  s->slave_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s->slave_ < 0) return sys_error("open pty slave");
  termios tio{};
  if (::tcgetattr(s->slave_, &tio) == 0) {
    ::cfmakeraw(&tio);
    ::cfsetispeed(&tio, B115200);
    ::cfsetospeed(&tio, B115200);
    ::tcsetattr(s->slave_, TCSANOW, &tio);
  }
  set_nonblock(s->master_);
  if (::pipe2(s->wake_, O_CLOEXEC | O_NONBLOCK) != 0) return sys_error("pipe");
  if (!s->options_.link.empty()) {
    ::unlink(s->options_.link.c_str());
    if (::symlink(name, s->options_.link.c_str()) != 0) return sys_error("symlink " + s->options_.link);
  }
  if (!s->options_.control_socket.empty()) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (s->options_.control_socket.size() >= sizeof addr.sun_path)
      return make_error("input_invalid", "control socket path too long");
    std::strcpy(addr.sun_path, s->options_.control_socket.c_str());
    ::unlink(addr.sun_path);
    s->listen_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s->listen_ < 0) return sys_error("socket");
    if (::bind(s->listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return sys_error("bind");
    if (::listen(s->listen_, 4) != 0) return sys_error("listen");
  }
  return s;
}

SimPty::~SimPty() {
  stop();
  for (int fd : {master_, slave_, wake_[0], wake_[1], listen_})
    if (fd >= 0) ::close(fd);
  if (!options_.link.empty()) ::unlink(options_.link.c_str());
  if (!options_.control_socket.empty()) ::unlink(options_.control_socket.c_str());
}

void SimPty::wake() {
  const char c = 1;
  [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
}

Result<std::string> SimPty::control(std::string_view line) {
  std::lock_guard lock(mu_);
  if (line == "quit") {
    stop_ = true;
    wake();
    return std::string("ok bye");
  }
  return engine_.control(line);
}

void SimPty::load(CardImage card) {
  std::lock_guard lock(mu_);
  engine_.load(std::move(card));
}
void SimPty::place() {
  std::lock_guard lock(mu_);
  engine_.place();
}
void SimPty::remove() {
  std::lock_guard lock(mu_);
  engine_.remove();
}
std::size_t SimPty::commands_seen() {
  std::lock_guard lock(mu_);
  return engine_.commands_seen();
}

void SimPty::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void SimPty::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake();
  if (thread_.joinable()) thread_.join();
}

void SimPty::run(int control_in, int control_out, int stop_fd) {
  std::deque<Pending> out;
  Clock::time_point last_due = Clock::now();
  std::map<int, std::string> lines;  // control fd → partial line
  std::vector<int> clients;
  struct CloseClients {
    std::vector<int>& fds;
    ~CloseClients() {
      for (int fd : fds) ::close(fd);
    }
  } close_clients{clients};
  bool in_open = control_in >= 0;
  auto answer = [&](int fd, const std::string& line) {
    auto r = control(line);
    std::string text = r ? r.value() : "error " + r.error().message;
    if (text.empty() || text.back() != '\n') text += '\n';
    write_all(fd == control_in ? control_out : fd, text);
  };
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
    std::vector<pollfd> fds;
    const auto now = Clock::now();
    const bool due = !out.empty() && out.front().due <= now;
    fds.push_back({master_, static_cast<short>(POLLIN | (due ? POLLOUT : 0)), 0});
    fds.push_back({wake_[0], POLLIN, 0});
    if (stop_fd >= 0) fds.push_back({stop_fd, POLLIN, 0});
    if (in_open) fds.push_back({control_in, POLLIN, 0});
    if (listen_ >= 0) fds.push_back({listen_, POLLIN, 0});
    for (int c : clients) fds.push_back({c, POLLIN, 0});
    int timeout = -1;
    if (!out.empty() && !due)
      timeout = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(out.front().due - now).count()) + 1;
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) return;
    for (const pollfd& p : fds) {
      if (!p.revents) continue;
      if (p.fd == master_) {
        if (p.revents & POLLIN) {
          uint8_t buf[4096];
          const ssize_t n = ::read(master_, buf, sizeof buf);
          if (n > 0) {
            std::vector<SimReply> replies;
            {
              std::lock_guard lock(mu_);
              replies = engine_.feed(std::span<const uint8_t>(buf, static_cast<std::size_t>(n)));
            }
            for (SimReply& r : replies) {
              // Replies keep their order: each starts after the previous one.
              auto t = std::max(Clock::now(), last_due) + r.delay;
              if (r.split == 0) {
                out.push_back({t, std::move(r.bytes)});
              } else {
                for (std::size_t i = 0; i < r.bytes.size(); i += r.split) {
                  const auto end = std::min(r.bytes.size(), i + r.split);
                  out.push_back({t, Bytes(r.bytes.begin() + static_cast<std::ptrdiff_t>(i),
                                          r.bytes.begin() + static_cast<std::ptrdiff_t>(end))});
                  t += r.split_gap;
                }
              }
              last_due = t;
            }
          }
        }
        while (!out.empty() && out.front().due <= Clock::now()) {
          Bytes& b = out.front().bytes;
          const ssize_t n = b.empty() ? 0 : ::write(master_, b.data(), b.size());
          if (n < 0) break;  // pty buffer full: POLLOUT will tell us
          b.erase(b.begin(), b.begin() + n);
          if (!b.empty()) break;
          out.pop_front();
        }
      } else if (p.fd == wake_[0]) {
        char junk[64];
        while (::read(wake_[0], junk, sizeof junk) > 0) {
        }
      } else if (p.fd == stop_fd) {
        return;
      } else if (p.fd == listen_) {
        const int c = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (c >= 0) clients.push_back(c);
      } else {
        char buf[1024];
        const ssize_t n = ::read(p.fd, buf, sizeof buf);
        if (n <= 0) {
          if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
          if (p.fd == control_in) {
            in_open = false;  // stdin closed: keep simulating
          } else {
            ::close(p.fd);
            std::erase(clients, p.fd);
          }
          lines.erase(p.fd);
          continue;
        }
        std::string& acc = lines[p.fd];
        acc.append(buf, static_cast<std::size_t>(n));
        for (std::size_t nl; (nl = acc.find('\n')) != std::string::npos;) {
          std::string line = acc.substr(0, nl);
          acc.erase(0, nl + 1);
          if (!line.empty() && line.back() == '\r') line.pop_back();
          answer(p.fd, line);
        }
        if (acc.size() > 4096) acc.clear();  // no line is that long
      }
    }
  }
}

}  // namespace bianmin::drivers::idcard
