// Device node, TCP and file transports: all are a file descriptor.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/lp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "printer/fd_link.h"
#include "printer/transport.h"

namespace bianmin::drivers::printer {
namespace {

class FdTransport : public Transport {
 public:
  FdTransport(int fd, std::string what, bool two_way, bool lp, int timeout_ms)
      : link_(fd, what), what_(std::move(what)), two_way_(two_way), lp_(lp), timeout_ms_(timeout_ms) {}

  Status write(std::string_view bytes) override { return link_.write_all(bytes, timeout_ms_); }
  Result<std::string> read(std::size_t max, int timeout_ms) override {
    if (!two_way_) return std::string();
    return link_.read_some(max, timeout_ms);
  }
  bool two_way() const override { return two_way_; }
  std::optional<uint8_t> port_status() override {
    if (!lp_) return std::nullopt;
    int status = 0;
    if (::ioctl(link_.fd(), LPGETSTATUS, &status) != 0) return std::nullopt;
    return static_cast<uint8_t>(status);
  }
  std::optional<DeviceId> device_id() override {
    if (!lp_) return std::nullopt;
    // LPIOC_GET_DEVICE_ID(len) = _IOC(_IOC_READ, 'P', 1, len) (usblp).
    char buf[1024] = {};
    if (::ioctl(link_.fd(), _IOC(_IOC_READ, 'P', 1, sizeof buf), buf) < 0) return std::nullopt;
    auto id = parse_device_id(std::string_view(buf, sizeof buf));
    if (!id) return std::nullopt;
    return *id;
  }
  std::string describe() const override { return what_; }

 private:
  FdLink link_;
  std::string what_;
  bool two_way_, lp_;
  int timeout_ms_;
};

}  // namespace

Result<std::unique_ptr<Transport>> open_dev_transport(const PrinterAddress& a, int timeout_ms) {
  int fd = ::open(a.path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  bool readable = true;
  if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EINVAL)) {
    fd = ::open(a.path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    readable = false;
  }
  if (fd < 0) {
    const int err = errno;
    if (err == EACCES)
      return make_error("printer_absent", a.path + ": permission denied (add the user to group lp or install the "
                                                   "udev rule)");
    return make_error("printer_absent", a.path + ": " + std::strerror(err));
  }
  // Serial and pseudo terminals: raw bytes, no echo, no CR/LF translation.
  termios tio{};
  const bool tty = ::tcgetattr(fd, &tio) == 0;
  if (tty) {
    ::cfmakeraw(&tio);
    ::tcsetattr(fd, TCSANOW, &tio);
  }
  int status = 0;
  const bool lp = !tty && ::ioctl(fd, LPGETSTATUS, &status) == 0;
  return std::unique_ptr<Transport>(new FdTransport(fd, "dev:" + a.path, readable, lp, timeout_ms));
}

Result<std::unique_ptr<Transport>> open_tcp_transport(const PrinterAddress& a, int timeout_ms) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(a.port);
  if (int rc = ::getaddrinfo(a.host.c_str(), port.c_str(), &hints, &res); rc != 0)
    return make_error("printer_absent", a.host + ": " + ::gai_strerror(rc));
  std::string last = "no address";
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc < 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = ::poll(&p, 1, timeout_ms);
      int err = 0;
      socklen_t len = sizeof err;
      if (rc == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) rc = 0;
      else {
        last = rc == 0 ? "connection timed out" : std::strerror(err ? err : errno);
        rc = -1;
      }
    } else if (rc < 0) {
      last = std::strerror(errno);
    }
    if (rc == 0) {
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ::freeaddrinfo(res);
      return std::unique_ptr<Transport>(
          new FdTransport(fd, "tcp:" + a.host + ":" + port, true, false, timeout_ms));
    }
    ::close(fd);
  }
  ::freeaddrinfo(res);
  return make_error("printer_absent", "tcp:" + a.host + ":" + port + ": " + last);
}

Result<std::unique_ptr<Transport>> open_file_transport(const PrinterAddress& a) {
  const int fd = ::open(a.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("io_error", a.path + ": " + std::strerror(errno));
  return std::unique_ptr<Transport>(new FdTransport(fd, "file:" + a.path, false, false, 5000));
}

}  // namespace bianmin::drivers::printer
