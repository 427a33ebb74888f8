#include "scanner/sim_scanner.h"

#include <fcntl.h>
#include <iconv.h>
#include <linux/input.h>
#include <linux/uinput.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "base/bytes.h"
#include "scanner/hid_report.h"

namespace bianmin::drivers::scanner {
namespace {

void press(std::vector<KeyEvent>& ev, uint16_t code, int64_t& t, int64_t step) {
  ev.push_back({code, 1, t});
  ev.push_back({code, 0, t + step / 2});
  t += step;
}

void alt_code(std::vector<KeyEvent>& ev, const std::string& digits, int64_t& t, int64_t step) {
  static const uint16_t kp[10] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4, KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
  ev.push_back({KEY_LEFTALT, 1, t});
  t += step;
  for (char d : digits) press(ev, kp[d - '0'], t, step);
  ev.push_back({KEY_LEFTALT, 0, t});
  t += step;
}

std::string gbk_of(char32_t cp) {
  std::string u;
  utf8_append(u, cp);
  char out[8];
  char* ip = u.data();
  char* op = out;
  size_t il = u.size(), ol = sizeof out;
  iconv_t cd = ::iconv_open("GB18030", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return "";
  const bool ok = ::iconv(cd, &ip, &il, &op, &ol) != static_cast<size_t>(-1);
  ::iconv_close(cd);
  return ok ? std::string(out, static_cast<size_t>(op - out)) : "";
}

}  // namespace

std::vector<KeyEvent> keys_for_text(std::string_view utf8, bool enter, int64_t t, int64_t step) {
  std::vector<KeyEvent> ev;
  auto cps = utf8_decode(utf8);
  if (!cps) return ev;
  for (char32_t cp : *cps) {
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if (auto k = ascii_to_key(c); k && c != '\n') {
        if (k->second) ev.push_back({KEY_LEFTSHIFT, 1, t});
        press(ev, k->first, t, step);
        if (k->second) ev.push_back({KEY_LEFTSHIFT, 0, t});
        continue;
      }
      if (cp == 0x1B) {
        press(ev, KEY_ESC, t, step);
        continue;
      }
      // Control characters: Ctrl+letter, Ctrl+] (GS) …
      uint16_t key = 0;
      bool shift = false;
      if (cp >= 1 && cp <= 26) key = ascii_to_key(static_cast<char>('a' + cp - 1))->first;
      else if (cp == 0x1C) key = KEY_BACKSLASH;
      else if (cp == 0x1D) key = KEY_RIGHTBRACE;
      else if (cp == 0x1E) key = KEY_6, shift = true;
      else if (cp == 0x1F) key = KEY_MINUS, shift = true;
      if (!key) continue;
      ev.push_back({KEY_LEFTCTRL, 1, t});
      if (shift) ev.push_back({KEY_LEFTSHIFT, 1, t});
      press(ev, key, t, step);
      if (shift) ev.push_back({KEY_LEFTSHIFT, 0, t});
      ev.push_back({KEY_LEFTCTRL, 0, t});
      continue;
    }
    if (cp >= 0xA0 && cp <= 0xFF) {
      alt_code(ev, "0" + std::to_string(static_cast<unsigned>(cp)), t, step);
      continue;
    }
    const std::string g = gbk_of(cp);
    if (g.size() == 2) {
      const unsigned v = (static_cast<unsigned char>(g[0]) << 8) | static_cast<unsigned char>(g[1]);
      alt_code(ev, std::to_string(v), t, step);
    }
  }
  if (enter) press(ev, KEY_ENTER, t, step);
  return ev;
}

Result<std::unique_ptr<SimScanner>> SimScanner::create(const SimScannerOptions& o) {
  std::unique_ptr<SimScanner> s(new SimScanner());
  s->o_ = o;
  if (o.kind == ScannerSpec::Kind::evdev && o.try_uinput && ::access("/dev/uinput", W_OK) == 0) {
    const int fd = ::open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      bool ok = ::ioctl(fd, UI_SET_EVBIT, EV_KEY) == 0 && ::ioctl(fd, UI_SET_EVBIT, EV_SYN) == 0;
      for (int k = 1; k < 256 && ok; ++k) ok = ::ioctl(fd, UI_SET_KEYBIT, k) == 0;
      uinput_setup us{};
      us.id.bustype = BUS_USB;
      us.id.vendor = 0x1eab;  // a barcode-scanner maker's ID; only a label here
      us.id.product = 0x0001;
      std::strncpy(us.name, "bianmin simulated barcode scanner", UINPUT_MAX_NAME_SIZE - 1);
      ok = ok && ::ioctl(fd, UI_DEV_SETUP, &us) == 0 && ::ioctl(fd, UI_DEV_CREATE) == 0;
      char sys[64] = {};
      if (ok && ::ioctl(fd, UI_GET_SYSNAME(sizeof sys), sys) >= 0) {
        std::error_code ec;
        const std::string dir = std::string("/sys/devices/virtual/input/") + sys;
        for (int tries = 0; tries < 50 && s->path_.empty(); ++tries) {
          for (const auto& e : std::filesystem::directory_iterator(dir, ec))
            if (e.path().filename().string().rfind("event", 0) == 0) s->path_ = "/dev/input/" + e.path().filename().string();
          if (s->path_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      }
      if (ok && !s->path_.empty()) {
        s->fd_ = fd;
        s->uinput_ = true;
        return s;
      }
      ::close(fd);
      s->path_.clear();
    }
  }
  if (o.kind == ScannerSpec::Kind::serial) {
    const int m = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0 || ::grantpt(m) != 0 || ::unlockpt(m) != 0) {
      if (m >= 0) ::close(m);
      return make_error("sim_error", std::string("cannot create a pty: ") + std::strerror(errno));
    }
    s->fd_ = m;
    s->path_ = ::ptsname(m);
    s->slave_fd_ = ::open(s->path_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    termios tio{};
    if (s->slave_fd_ >= 0 && ::tcgetattr(s->slave_fd_, &tio) == 0) {
      ::cfmakeraw(&tio);
      ::tcsetattr(s->slave_fd_, TCSANOW, &tio);
    }
    if (!o.path.empty()) {
      ::unlink(o.path.c_str());
      if (::symlink(s->path_.c_str(), o.path.c_str()) == 0) s->link_ = o.path;
    }
    return s;
  }
  // FIFO for evdev records or HID reports.
  std::string path = o.path;
  if (path.empty()) {
    char tmpl[] = "/tmp/bianmin-sim-scanner-XXXXXX";
    if (!::mkdtemp(tmpl)) return make_error("sim_error", "cannot create a temporary directory");
    s->tmpdir_ = tmpl;
    path = s->tmpdir_ + (o.kind == ScannerSpec::Kind::evdev ? "/event" : "/hidraw");
  }
  ::unlink(path.c_str());
  if (::mkfifo(path.c_str(), 0600) != 0)
    return make_error("sim_error", "mkfifo " + path + ": " + std::strerror(errno));
  s->path_ = path;
  if (o.kind == ScannerSpec::Kind::hidraw) {
    const std::string d = o.hid_keyboard ? keyboard_report_descriptor() : pos_report_descriptor();
    const int df = ::open((path + ".rdesc").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (df < 0 || ::write(df, d.data(), d.size()) != static_cast<ssize_t>(d.size())) {
      if (df >= 0) ::close(df);
      return make_error("sim_error", "cannot write " + path + ".rdesc");
    }
    ::close(df);
  }
  // Read-write: opening never blocks, and codes wait in the pipe until a
  // reader comes.
  s->fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (s->fd_ < 0) return make_error("sim_error", "open " + path + ": " + std::strerror(errno));
  return s;
}

SimScanner::~SimScanner() {
  unplug();
  if (!o_.path.empty() && !uinput_ && o_.kind != ScannerSpec::Kind::serial) {
    ::unlink(o_.path.c_str());
    ::unlink((o_.path + ".rdesc").c_str());
  }
  if (!link_.empty()) ::unlink(link_.c_str());
  if (!tmpdir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(tmpdir_, ec);
  }
}

std::string SimScanner::spec() const {
  switch (o_.kind) {
    case ScannerSpec::Kind::evdev: return "evdev:" + path_;
    case ScannerSpec::Kind::hidraw: return "hidraw:" + path_;
    case ScannerSpec::Kind::serial: return "serial:" + (link_.empty() ? path_ : link_);
  }
  return path_;
}

void SimScanner::unplug() {
  if (fd_ >= 0) {
    if (uinput_) (void)::ioctl(fd_, UI_DEV_DESTROY);
    ::close(fd_);
  }
  fd_ = -1;
  if (slave_fd_ >= 0) ::close(slave_fd_);
  slave_fd_ = -1;
}

Status SimScanner::write_all(std::string_view b) {
  if (fd_ < 0) return make_error("sim_error", "the simulated scanner is unplugged");
  while (!b.empty()) {
    const ssize_t n = ::write(fd_, b.data(), b.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      return make_error("sim_error", std::string("write: ") + std::strerror(errno));
    }
    b.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Status SimScanner::send_raw(std::string_view bytes) { return write_all(bytes); }

Status SimScanner::emit_keys(const std::vector<KeyEvent>& ev) {
  std::string out;
  auto put = [&](uint16_t type, uint16_t code, int32_t value, int64_t t) {
    input_event e{};
    e.input_event_sec = static_cast<decltype(e.input_event_sec)>(t / 1'000'000);
    e.input_event_usec = static_cast<decltype(e.input_event_usec)>(t % 1'000'000);
    e.type = type;
    e.code = code;
    e.value = value;
    out.append(reinterpret_cast<const char*>(&e), sizeof e);
  };
  const int64_t base = monotonic_us();
  for (const auto& k : ev) {
    put(EV_KEY, k.code, k.value, base + k.time_us);
    put(EV_SYN, SYN_REPORT, 0, base + k.time_us);
  }
  return write_all(out);
}

Status SimScanner::scan(std::string_view text, std::string_view aim) {
  switch (o_.kind) {
    case ScannerSpec::Kind::evdev: return emit_keys(keys_for_text(text, o_.enter));
    case ScannerSpec::Kind::serial: return write_all(std::string(text) + o_.suffix.bytes());
    case ScannerSpec::Kind::hidraw: {
      if (!o_.hid_keyboard) {
        std::string all;
        for (const auto& r : pos_reports(text, aim)) all += r;
        return write_all(all);
      }
      // Boot keyboard reports: modifiers, reserved, six key usages.
      std::string all;
      uint8_t mods = 0;
      uint8_t key = 0;
      for (const auto& e : keys_for_text(text, o_.enter)) {
        uint8_t bit = 0;
        switch (e.code) {
          case KEY_LEFTCTRL: bit = 0x01; break;
          case KEY_LEFTSHIFT: bit = 0x02; break;
          case KEY_LEFTALT: bit = 0x04; break;
          default: break;
        }
        if (bit) mods = e.value ? static_cast<uint8_t>(mods | bit) : static_cast<uint8_t>(mods & ~bit);
        else key = e.value ? key_to_hid_usage(e.code) : 0;
        char r[8] = {static_cast<char>(mods), 0, static_cast<char>(key), 0, 0, 0, 0, 0};
        all.append(r, 8);
      }
      return write_all(all);
    }
  }
  return {};
}

}  // namespace bianmin::drivers::scanner
