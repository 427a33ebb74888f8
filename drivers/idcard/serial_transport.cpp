#include "idcard/serial_transport.h"

#include <openssl/crypto.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bianmin::drivers::idcard {
namespace {

speed_t speed_of(int baud) {
  switch (baud) {
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    default: return 0;
  }
}

int poll_ms(Millis t) { return t.count() < 0 ? 0 : static_cast<int>(std::min<long long>(t.count(), 1 << 30)); }

}  // namespace

bool is_supported_baud(int baud) { return speed_of(baud) != 0; }

SerialTransport::SerialTransport(std::string path, int baud) : path_(std::move(path)), baud_(baud) {}

SerialTransport::~SerialTransport() { close(); }

std::string SerialTransport::describe() const { return "serial:" + path_ + "@" + std::to_string(baud_); }

Error SerialTransport::io_error(std::string_view op, int err) {
  std::string code = "reader_io";
  if (err == ENOENT || err == ENODEV || err == ENXIO) code = "reader_not_found";
  else if (err == EACCES || err == EPERM) code = "reader_access_denied";
  else if (err == EBUSY || err == EWOULDBLOCK) code = "reader_busy";
  else if (err == EIO || err == EBADF) code = "reader_disconnected";
  return make_error(code, std::string(op) + " " + path_ + ": " + std::strerror(err));
}

Status SerialTransport::open() {
  if (fd_ >= 0) return {};
  if (speed_of(baud_) == 0) return make_error("input_invalid", "unsupported baud rate " + std::to_string(baud_));
  const int fd = ::open(path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return io_error("open", errno);
  auto fail = [&](std::string_view op) {
    const int err = errno;
    ::close(fd);
    return io_error(op, err);
  };
  if (!::isatty(fd)) {
    ::close(fd);
    return make_error("reader_unsupported", path_ + " is not a serial port");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
      return make_error("reader_busy", path_ + " is in use by another process (the kiosk's reader service?)");
    return io_error("lock", err);
  }
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) return fail("tcgetattr");
  ::cfmakeraw(&tio);  // no echo, no line editing, no CR/LF translation, 8 bits
  tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CRTSCTS | CSIZE);
  tio.c_cflag |= CS8 | CLOCAL | CREAD;
  tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  ::cfsetispeed(&tio, speed_of(baud_));
  ::cfsetospeed(&tio, speed_of(baud_));
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) return fail("tcsetattr");
  ::tcflush(fd, TCIOFLUSH);
  fd_ = fd;
  return {};
}

void SerialTransport::close() {
  if (fd_ < 0) return;
  ::close(fd_);  // releases the flock too
  fd_ = -1;
}

Status SerialTransport::set_baud(int baud) {
  if (speed_of(baud) == 0) return make_error("input_invalid", "unsupported baud rate " + std::to_string(baud));
  baud_ = baud;
  if (fd_ < 0) return {};
  termios tio{};
  if (::tcgetattr(fd_, &tio) != 0) return io_error("tcgetattr", errno);
  ::tcdrain(fd_);
  ::cfsetispeed(&tio, speed_of(baud));
  ::cfsetospeed(&tio, speed_of(baud));
  if (::tcsetattr(fd_, TCSANOW, &tio) != 0) return io_error("tcsetattr", errno);
  return {};
}

Status SerialTransport::send_frame(std::span<const uint8_t> frame, Millis timeout) {
  if (fd_ < 0) return make_error("reader_disconnected", path_ + " is not open");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t done = 0;
  while (done < frame.size()) {
    const ssize_t n = ::write(fd_, frame.data() + done, frame.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return io_error("write", errno);
    const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return make_error("reader_not_answering", "write " + path_ + ": timed out");
    pollfd p{fd_, POLLOUT, 0};
    const int r = ::poll(&p, 1, poll_ms(left));
    if (r < 0 && errno != EINTR) return io_error("poll", errno);
    if (r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) && !(p.revents & POLLOUT))
      return make_error("reader_disconnected", path_ + " hung up");
  }
  return {};
}

Status SerialTransport::receive(std::vector<uint8_t>& out, Millis timeout) {
  if (fd_ < 0) return make_error("reader_disconnected", path_ + " is not open");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    uint8_t buf[2048];
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n > 0) {
      out.insert(out.end(), buf, buf + n);
      OPENSSL_cleanse(buf, static_cast<std::size_t>(n));
      return {};
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return io_error("read", errno);
    // n == 0 on a tty with VMIN=0 just means "nothing yet".
    const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, poll_ms(left));
    if (r < 0 && errno != EINTR) return io_error("poll", errno);
    if (r > 0 && (p.revents & (POLLERR | POLLNVAL))) return make_error("reader_disconnected", path_ + " failed");
    if (r > 0 && (p.revents & POLLHUP) && !(p.revents & POLLIN))
      return make_error("reader_disconnected", path_ + " hung up (unplugged?)");
  }
}

void SerialTransport::discard_input() {
  if (fd_ >= 0) ::tcflush(fd_, TCIFLUSH);
}

}  // namespace bianmin::drivers::idcard
