// The moment to reboot into an installed update: when no resident (or
// clerk) session is on the screen and no application is being handed to the
// central. Each of those holds the gate open (a shared lock on
// data_dir/reboot.lock) while it lasts; the reboot takes it shut (the
// exclusive lock) and keeps it shut until the machine goes down, so no new
// session starts in between: the kiosk shows "updating" instead.
//
// A file lock, because the holders are different processes (kiosk, syncd)
// and the kernel releases a lock when its holder dies: a crashed kiosk never
// blocks an update.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/result.h"

namespace bianmin::update {

class GateHold {
 public:
  GateHold() = default;
  explicit GateHold(int fd) : fd_(fd) {}
  GateHold(GateHold&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  GateHold& operator=(GateHold&& o) noexcept;
  GateHold(const GateHold&) = delete;
  GateHold& operator=(const GateHold&) = delete;
  ~GateHold() { release(); }

  bool held() const { return fd_ >= 0; }
  void release();

 private:
  int fd_ = -1;
};

// A session or a delivery starts: fails with code "rebooting" when a reboot
// has shut the gate (the caller says so and tries later). Never waits.
Result<GateHold> hold_open(const std::string& data_dir);

// The reboot: waits until nothing holds the gate open, checking every
// `poll`, for as long as `keep_waiting` says (it may log how long it has
// waited). Fails with code "busy" when keep_waiting gave up.
Result<GateHold> shut_when_quiet(const std::string& data_dir, std::chrono::milliseconds poll,
                                 const std::function<bool(std::chrono::seconds waited)>& keep_waiting);

}  // namespace bianmin::update
