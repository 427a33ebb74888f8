#include "update/quiet_gate.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "base/fs.h"

namespace bianmin::update {

namespace {

Result<int> open_lock(const std::string& data_dir) {
  const std::string path = data_dir + "/reboot.lock";
  // 0644 and opened read-only by those that hold it open: root's reboot and
  // the service user's sessions share one file.
  int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return fs::errno_error("open", path);
  return fd;
}

}  // namespace

GateHold& GateHold::operator=(GateHold&& o) noexcept {
  if (this != &o) {
    release();
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

void GateHold::release() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the lock
  fd_ = -1;
}

Result<GateHold> hold_open(const std::string& data_dir) {
  auto fd = open_lock(data_dir);
  if (!fd) return fd.take_error();
  if (::flock(*fd, LOCK_SH | LOCK_NB) != 0) {
    const int err = errno;
    ::close(*fd);
    if (err == EWOULDBLOCK) return make_error("rebooting", "the terminal is restarting to finish an update");
    return fs::errno_error("flock", data_dir + "/reboot.lock", err);
  }
  return GateHold(*fd);
}

Result<GateHold> shut_when_quiet(const std::string& data_dir, std::chrono::milliseconds poll,
                                 const std::function<bool(std::chrono::seconds waited)>& keep_waiting) {
  auto fd = open_lock(data_dir);
  if (!fd) return fd.take_error();
  GateHold hold(*fd);
  const auto start = std::chrono::steady_clock::now();
  // Polled, not a blocking LOCK_EX: the wait must be bounded by the caller
  // and a blocked flock cannot be interrupted without a signal.
  while (::flock(*fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return fs::errno_error("flock", data_dir + "/reboot.lock");
    const auto waited = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
    if (!keep_waiting(waited)) return make_error("busy", "a session or a delivery is still under way");
    std::this_thread::sleep_for(poll);
  }
  return hold;
}

}  // namespace bianmin::update
