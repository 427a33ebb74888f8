#include "printer/fd_link.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bianmin::drivers::printer {
namespace {

Error io_error(const std::string& what, int err) {
  if (err == ENODEV || err == ENXIO || err == EPIPE || err == ECONNRESET || err == ENOENT || err == ESHUTDOWN ||
      err == ECONNREFUSED || err == EIO)
    return make_error("printer_absent", what + ": the printer is gone (" + std::strerror(err) + ")");
  return make_error("io_error", what + ": " + std::strerror(err));
}

}  // namespace

FdLink::~FdLink() {
  if (fd_ >= 0) ::close(fd_);
}

Status FdLink::write_all(std::string_view bytes, int timeout_ms) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    pollfd p{fd_, POLLOUT, 0};
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0) {
      if (errno == EINTR) continue;
      return io_error(what_, errno);
    }
    if (r == 0) return make_error("printer_timeout", what_ + ": the printer took no data for " +
                                                      std::to_string(timeout_ms) + " ms");
    if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
      if (!(p.revents & POLLOUT)) return make_error("printer_absent", what_ + ": the printer is gone");
    }
    const ssize_t n = ::write(fd_, bytes.data() + off, bytes.size() - off);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return io_error(what_, errno);
    }
    off += static_cast<std::size_t>(n);
  }
  return {};
}

Result<std::string> FdLink::read_some(std::size_t max, int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  for (;;) {
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return io_error(what_, errno);
    if (r == 0) return std::string();
    break;
  }
  std::string buf(max, '\0');
  const ssize_t n = ::read(fd_, buf.data(), max);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return std::string();
    return io_error(what_, errno);
  }
  if (n == 0 && (p.revents & (POLLHUP | POLLERR)))
    return make_error("printer_absent", what_ + ": the printer closed the link");
  buf.resize(static_cast<std::size_t>(n));
  return buf;
}

}  // namespace bianmin::drivers::printer
