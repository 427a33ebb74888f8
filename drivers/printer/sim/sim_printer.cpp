#include "printer/sim/sim_printer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/log.h"
#include "printer/render/escpos_parser.h"

namespace bianmin::drivers::printer {

uint8_t sim_status_byte(PrinterState s, int n) {
  uint8_t b = 0x12;  // fixed bits 1 and 4
  const bool stopped = s == PrinterState::paper_out || s == PrinterState::cover_open ||
                       s == PrinterState::offline || s == PrinterState::error;
  switch (n) {
    case 1: if (stopped) b |= 0x08; break;
    case 2:
      if (s == PrinterState::cover_open) b |= 0x04;
      if (s == PrinterState::paper_out) b |= 0x20;
      if (s == PrinterState::error) b |= 0x40;
      break;
    case 3: if (s == PrinterState::error) b |= 0x08; break;
    case 4:
      if (s == PrinterState::paper_low) b |= 0x0C;
      if (s == PrinterState::paper_out) b |= 0x6C;
      break;
    default: break;
  }
  return b;
}

std::optional<PrinterState> parse_state(std::string_view s) {
  for (auto st : {PrinterState::ok, PrinterState::paper_low, PrinterState::paper_out, PrinterState::cover_open,
                  PrinterState::offline, PrinterState::error})
    if (s == state_key(st)) return st;
  return std::nullopt;
}

Result<std::unique_ptr<SimPrinter>> SimPrinter::start(const std::string& host, uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error("io_error", std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1) {
    ::close(fd);
    return make_error("input_invalid", "the simulated printer listens on an IPv4 address, not " + host);
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd, 4) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return make_error("io_error", host + ":" + std::to_string(port) + ": " + why);
  }
  socklen_t len = sizeof sa;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  std::unique_ptr<SimPrinter> p(new SimPrinter(fd, host, ntohs(sa.sin_port)));
  if (::pipe2(p->stop_pipe_, O_CLOEXEC) != 0) return make_error("io_error", "pipe failed");
  p->thread_ = std::thread([raw = p.get()] { raw->serve(); });
  return p;
}

SimPrinter::SimPrinter(int fd, std::string host, uint16_t port) : listen_fd_(fd), host_(std::move(host)), port_(port) {}

SimPrinter::~SimPrinter() {
  stop();
  ::close(listen_fd_);
  for (int fd : stop_pipe_)
    if (fd >= 0) ::close(fd);
}

std::string SimPrinter::address() const { return "tcp:" + host_ + ":" + std::to_string(port_); }

void SimPrinter::record_to(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  record_path_ = path;
}
void SimPrinter::paper_to(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  paper_path_ = path;
}

std::string SimPrinter::received() const {
  std::lock_guard<std::mutex> l(mu_);
  return received_;
}
std::string SimPrinter::printed() const {
  std::lock_guard<std::mutex> l(mu_);
  return printed_;
}

void SimPrinter::stop() {
  if (!thread_.joinable()) return;
  const char c = 'q';
  if (::write(stop_pipe_[1], &c, 1) < 0) { /* the thread also ends on close */ }
  thread_.join();
}

void SimPrinter::serve() {
  for (;;) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[1].revents) return;
    if (p[0].revents & POLLIN) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      handle(fd);
      ::close(fd);
    }
  }
}

namespace {

void append_file(const std::string& path, std::string_view bytes) {
  if (path.empty() || bytes.empty()) return;
  if (FILE* f = std::fopen(path.c_str(), "ab")) {
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
}

}  // namespace

// One connection at a time, as a printer's single port does.
void SimPrinter::handle(int fd) {
  std::string pending;
  char buf[4096];
  for (;;) {
    pollfd p[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[1].revents) return;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return;
    const std::string_view got(buf, static_cast<std::size_t>(n));
    {
      std::lock_guard<std::mutex> l(mu_);
      received_ += got;
      append_file(record_path_, got);
    }
    pending += got;
    std::size_t pos = 0;
    while (pos < pending.size()) {
      const ParseStep s = parse_one(std::string_view(pending).substr(pos));
      if (!s.complete) break;
      const std::string_view cmd = std::string_view(pending).substr(pos, s.consumed);
      pos += s.consumed;
      if (s.op.kind == OpKind::status_query) {
        ++queries_;
        const auto answer = static_cast<char>(sim_status_byte(state(), s.op.a));
        if (::write(fd, &answer, 1) != 1) return;
        continue;
      }
      // Data that arrives while the printer cannot print is lost, as on a
      // real printer whose roll ran out: the host must notice and reprint.
      if (!blocks_printing(state())) {
        std::lock_guard<std::mutex> l(mu_);
        printed_ += cmd;
        append_file(paper_path_, cmd);
      }
    }
    pending.erase(0, pos);
  }
}

}  // namespace bianmin::drivers::printer
