#include "scanner/code_scanner.h"

#include <fcntl.h>
#include <linux/hidraw.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>

#include "base/log.h"
#include "scanner/hid_report.h"

namespace bianmin::drivers::scanner {

int64_t monotonic_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

Result<ScannerSpec> parse_scanner_spec(std::string_view t) {
  ScannerSpec s;
  auto colon = t.find(':');
  if (colon == std::string_view::npos)
    return make_error("usage", "--scanner must be evdev:PATH, hidraw:PATH or serial:PATH[@BAUD]");
  const std::string_view kind = t.substr(0, colon);
  std::string_view path = t.substr(colon + 1);
  if (kind == "evdev") s.kind = ScannerSpec::Kind::evdev;
  else if (kind == "hidraw") s.kind = ScannerSpec::Kind::hidraw;
  else if (kind == "serial") {
    s.kind = ScannerSpec::Kind::serial;
    if (auto at = path.rfind('@'); at != std::string_view::npos) {
      const std::string baud(path.substr(at + 1));
      char* end = nullptr;
      const long b = std::strtol(baud.c_str(), &end, 10);
      if (baud.empty() || *end != '\0' || b <= 0) return make_error("usage", "serial: bad baud rate '" + baud + "'");
      s.baud = static_cast<int>(b);
      path = path.substr(0, at);
    }
  } else {
    return make_error("usage", "unknown scanner kind '" + std::string(kind) + "' (evdev, hidraw, serial)");
  }
  if (path.empty()) return make_error("usage", "--scanner: missing device path");
  s.path = std::string(path);
  return s;
}

namespace {

bool is_char_device(int fd) {
  struct stat st{};
  return ::fstat(fd, &st) == 0 && S_ISCHR(st.st_mode);
}

Error io_error(const std::string& what, const std::string& path, int err) {
  if (err == ENODEV || err == EIO || err == ENXIO)
    return make_error("scanner_unplugged", "scanner " + path + " went away (" + std::strerror(err) + ")");
  return make_error("scanner_io", what + " " + path + ": " + std::strerror(err));
}

// Common plumbing: an fd read with poll() until a decoder completes a code
// or the caller's timeout (and the decoder's own deadline) passes.
class FdScanner : public CodeScanner {
 public:
  explicit FdScanner(std::string path) : path_(std::move(path)) {}
  ~FdScanner() override { FdScanner::close(); }
  void close() override {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  Result<std::optional<ScannedCode>> next(std::chrono::milliseconds timeout) override {
    if (fd_ < 0) return make_error("scanner_io", "scanner " + path_ + " is not open");
    const int64_t end = monotonic_us() + std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
    for (;;) {
      if (!ready_.empty()) {
        ScannedCode c = std::move(ready_.front());
        ready_.pop_front();
        return std::optional<ScannedCode>(std::move(c));
      }
      const int64_t now = monotonic_us();
      if (auto c = poll_decoder(now)) {
        ready_.push_back(std::move(*c));
        continue;
      }
      // Past the caller's timeout, a code still being typed is finished
      // (its inter-key deadline is at most one timeout away), not dropped.
      const auto dl = decoder_deadline();
      if (now >= end && !dl) return std::optional<ScannedCode>();
      const int64_t wake = dl ? (now >= end ? *dl : std::min(end, *dl)) : end;
      const int ms = static_cast<int>(std::max<int64_t>(0, (wake - now + 999) / 1000));
      pollfd p{fd_, POLLIN, 0};
      const int n = ::poll(&p, 1, ms);
      if (n < 0) {
        if (errno == EINTR) continue;
        return io_error("poll", path_, errno);
      }
      if (n == 0) continue;
      if (p.revents & (POLLERR | POLLNVAL)) return io_error("read", path_, ENODEV);
      char buf[4096];
      const ssize_t r = ::read(fd_, buf, sizeof buf);
      if (r < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        return io_error("read", path_, errno);
      }
      if (r == 0) {
        // End of file: the device or the simulator's writer is gone.
        if (p.revents & POLLHUP || !is_char_device(fd_)) return io_error("read", path_, ENODEV);
        continue;
      }
      BIANMIN_TRY(consume(std::string_view(buf, static_cast<std::size_t>(r)), monotonic_us()));
    }
  }
  std::string describe() const override { return path_; }

 protected:
  virtual Status consume(std::string_view bytes, int64_t now_us) = 0;
  virtual std::optional<ScannedCode> poll_decoder(int64_t now_us) = 0;
  virtual std::optional<int64_t> decoder_deadline() const = 0;

  std::string path_;
  int fd_ = -1;
  std::deque<ScannedCode> ready_;
};

ScannedCode from_typed(TypedCode&& t) {
  ScannedCode c;
  c.bytes = std::move(t.bytes);
  c.format = "unknown";
  c.truncated = t.truncated;
  c.by_timeout = t.end == CodeEnd::timeout || t.end == CodeEnd::overflow;
  return c;
}

class EvdevScanner final : public FdScanner {
 public:
  EvdevScanner(std::string path, const ScannerOptions& o) : FdScanner(std::move(path)), o_(o), dec_(o.keys) {}
  Status open() override {
    close();
    fd_ = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
      if (errno == ENOENT || errno == ENODEV) return make_error("scanner_absent", "no scanner at " + path_);
      return io_error("open", path_, errno);
    }
    device_ = is_char_device(fd_);
    if (device_ && o_.grab && ::ioctl(fd_, EVIOCGRAB, 1) != 0) {
      const int e = errno;
      close();
      if (e == EBUSY) return make_error("scanner_busy", path_ + " is grabbed by another program");
      return io_error("EVIOCGRAB", path_, e);
    }
    int clock = CLOCK_MONOTONIC;
    event_time_ = device_ && ::ioctl(fd_, EVIOCSCLOCKID, &clock) == 0;
    dec_.reset();
    partial_.clear();
    return {};
  }
  void close() override {
    if (fd_ >= 0 && device_ && o_.grab) (void)::ioctl(fd_, EVIOCGRAB, 0);
    FdScanner::close();
  }

 protected:
  Status consume(std::string_view bytes, int64_t now_us) override {
    partial_.append(bytes);
    std::size_t off = 0;
    for (; off + sizeof(input_event) <= partial_.size(); off += sizeof(input_event)) {
      input_event ev;
      std::memcpy(&ev, partial_.data() + off, sizeof ev);
      if (ev.type == EV_SYN && ev.code == SYN_DROPPED) {
        log::warn("scanner", "input events dropped by the kernel; the code being typed is lost", {{"device", path_}});
        dec_.reset();
        continue;
      }
      if (ev.type != EV_KEY) continue;
      const int64_t t = event_time_ ? static_cast<int64_t>(ev.input_event_sec) * 1'000'000 + ev.input_event_usec : now_us;
      for (auto& c : dec_.feed({ev.code, ev.value, t})) ready_.push_back(from_typed(std::move(c)));
    }
    partial_.erase(0, off);
    return {};
  }
  std::optional<ScannedCode> poll_decoder(int64_t now_us) override {
    if (auto c = dec_.poll(now_us)) return from_typed(std::move(*c));
    return std::nullopt;
  }
  std::optional<int64_t> decoder_deadline() const override { return dec_.deadline_us(); }

 private:
  ScannerOptions o_;
  KeyDecoder dec_;
  std::string partial_;
  bool device_ = false, event_time_ = false;
};

class HidrawScanner final : public FdScanner {
 public:
  HidrawScanner(std::string path, const ScannerOptions& o) : FdScanner(std::move(path)), keys_(o.keys) {}
  Status open() override {
    close();
    fd_ = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
      if (errno == ENOENT || errno == ENODEV) return make_error("scanner_absent", "no scanner at " + path_);
      return io_error("open", path_, errno);
    }
    device_ = is_char_device(fd_);
    std::string desc;
    int size = 0;
    if (device_ && ::ioctl(fd_, HIDIOCGRDESCSIZE, &size) == 0 && size > 0 && size <= HID_MAX_DESCRIPTOR_SIZE) {
      hidraw_report_descriptor rd{};
      rd.size = static_cast<__u32>(size);
      if (::ioctl(fd_, HIDIOCGRDESC, &rd) == 0) desc.assign(reinterpret_cast<const char*>(rd.value), rd.size);
    }
    if (desc.empty()) {
      std::ifstream f(path_ + ".rdesc", std::ios::binary);
      if (f) desc.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    if (!desc.empty()) {
      auto l = parse_report_descriptor(desc);
      if (!l) {
        const Error e = l.error();
        close();
        return e;
      }
      layout_ = *l;
      report_bytes_ = report_size(desc);
    } else {
      layout_ = fallback_pos_layout();
      report_bytes_ = 64;
      log::info("scanner", "no HID report descriptor; assuming the common HID POS layout", {{"device", path_}});
    }
    pos_.emplace(layout_.pos);
    kbd_.emplace(layout_.keyboard);
    keys_.reset();
    partial_.clear();
    return {};
  }

 protected:
  Status consume(std::string_view bytes, int64_t now_us) override {
    if (device_) return report(bytes, now_us);  // hidraw: one read, one report
    partial_.append(bytes);                     // a pipe: fixed-size records
    std::size_t off = 0;
    for (; off + report_bytes_ <= partial_.size(); off += report_bytes_)
      BIANMIN_TRY(report(std::string_view(partial_).substr(off, report_bytes_), now_us));
    partial_.erase(0, off);
    return {};
  }
  std::optional<ScannedCode> poll_decoder(int64_t now_us) override {
    if (auto c = keys_.poll(now_us)) return from_typed(std::move(*c));
    return std::nullopt;
  }
  std::optional<int64_t> decoder_deadline() const override { return keys_.deadline_us(); }

 private:
  Status report(std::string_view r, int64_t now_us) {
    if (layout_.kind == HidLayout::Kind::pos) {
      auto d = pos_->feed(r);
      if (!d) {
        log::warn("scanner", "HID POS report ignored", {{"device", path_}, {"error", d.error().message}});
        return {};
      }
      if (*d) {
        ScannedCode c;
        c.bytes = std::move((*d)->bytes);
        c.aim = std::move((*d)->aim);
        c.format = aim_to_format(c.aim);
        ready_.push_back(std::move(c));
      }
      return {};
    }
    auto ev = kbd_->feed(r, now_us);
    if (!ev) return {};
    for (const auto& e : *ev)
      for (auto& c : keys_.feed(e)) ready_.push_back(from_typed(std::move(c)));
    return {};
  }
  // Bytes of the scanner's input report (ID byte included), from the
  // descriptor; only needed to split a pipe's byte stream.
  std::size_t report_size(const std::string& desc) const {
    (void)desc;
    if (layout_.kind == HidLayout::Kind::keyboard)
      return (layout_.keyboard.report_id ? 1 : 0) + layout_.keyboard.keys_offset + layout_.keyboard.key_count;
    std::size_t end = layout_.pos.data_offset + layout_.pos.data_bytes;
    if (layout_.pos.continued_offset) end = std::max(end, *layout_.pos.continued_offset + 1);
    return (layout_.pos.report_id ? 1 : 0) + end;
  }

  HidLayout layout_;
  std::size_t report_bytes_ = 64;
  std::optional<HidPosDecoder> pos_;
  std::optional<HidKeyboardDecoder> kbd_;
  KeyDecoder keys_;
  std::string partial_;
  bool device_ = false;
};

speed_t baud_constant(int baud) {
  switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    default: return B0;
  }
}

class SerialScanner final : public FdScanner {
 public:
  SerialScanner(std::string path, const ScannerOptions& o, int baud)
      : FdScanner(std::move(path)), baud_(baud ? baud : o.baud), framer_(o.suffix, o.inter_byte_timeout_us) {}
  Status open() override {
    close();
    fd_ = ::open(path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0 && errno == EACCES) fd_ = ::open(path_.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
      if (errno == ENOENT || errno == ENODEV) return make_error("scanner_absent", "no scanner at " + path_);
      return io_error("open", path_, errno);
    }
    termios tio{};
    if (::tcgetattr(fd_, &tio) == 0) {
      const speed_t sp = baud_constant(baud_);
      if (sp == B0) {
        close();
        return make_error("usage", "unsupported baud rate " + std::to_string(baud_));
      }
      ::cfmakeraw(&tio);
      tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CRTSCTS);
      tio.c_cflag |= CLOCAL | CREAD | CS8;
      tio.c_cc[VMIN] = 0;
      tio.c_cc[VTIME] = 0;
      ::cfsetispeed(&tio, sp);
      ::cfsetospeed(&tio, sp);
      if (::tcsetattr(fd_, TCSANOW, &tio) != 0) {
        const int e = errno;
        close();
        return io_error("tcsetattr", path_, e);
      }
    }
    return {};
  }

 protected:
  Status consume(std::string_view bytes, int64_t now_us) override {
    for (auto& c : framer_.feed(bytes, now_us)) ready_.push_back(from_framed(std::move(c)));
    return {};
  }
  std::optional<ScannedCode> poll_decoder(int64_t now_us) override {
    if (auto c = framer_.poll(now_us)) return from_framed(std::move(*c));
    return std::nullopt;
  }
  std::optional<int64_t> decoder_deadline() const override { return framer_.deadline_us(); }

 private:
  static ScannedCode from_framed(FramedCode&& f) {
    ScannedCode c;
    c.bytes = std::move(f.bytes);
    c.format = "unknown";
    c.truncated = f.truncated;
    c.by_timeout = f.by_timeout;
    return c;
  }
  int baud_;
  SerialFramer framer_;
};

}  // namespace

std::unique_ptr<CodeScanner> make_scanner(const ScannerSpec& spec, const ScannerOptions& opts) {
  switch (spec.kind) {
    case ScannerSpec::Kind::evdev: return std::make_unique<EvdevScanner>(spec.path, opts);
    case ScannerSpec::Kind::hidraw: return std::make_unique<HidrawScanner>(spec.path, opts);
    case ScannerSpec::Kind::serial: return std::make_unique<SerialScanner>(spec.path, opts, spec.baud);
  }
  return nullptr;
}

}  // namespace bianmin::drivers::scanner
