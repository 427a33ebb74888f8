// The simulator on a pseudo-terminal: a program opens the pty's slave path
// exactly like /dev/ttyUSB0 and talks SAM_V to it. One event loop moves
// bytes between the pty and a SimEngine, keeps the timing of delayed and
// split replies, and answers control lines (stdin, a Unix socket, or
// control() from another thread).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"
#include "idcard/sim_engine.h"

namespace bianmin::drivers::idcard {

struct SimPtyOptions {
  std::string link;            // also make this symlink to the pty (e.g. /run/bianmin/idcard)
  std::string control_socket;  // also accept control lines on this Unix socket
};

class SimPty {
 public:
  static Result<std::unique_ptr<SimPty>> open(SimPtyOptions options = {});
  ~SimPty();
  SimPty(const SimPty&) = delete;
  SimPty& operator=(const SimPty&) = delete;

  // Path of the pty's slave side: what a reader driver opens.
  const std::string& path() const { return path_; }

  // Thread-safe. The same commands as the control line protocol.
  Result<std::string> control(std::string_view line);
  void load(CardImage card);
  void place();
  void remove();
  std::size_t commands_seen();

  // Runs the loop on this thread until stop(), "quit", or `stop_fd`
  // becomes readable. Control lines are read from `control_in` (if >= 0)
  // and answered on `control_out`; end of input there is not a stop.
  void run(int control_in = -1, int control_out = -1, int stop_fd = -1);
  // The loop on a background thread (tests, the kiosk's simulated mode).
  void start();
  void stop();

 private:
  SimPty() = default;
  void wake();

  std::string path_;
  SimPtyOptions options_;
  int master_ = -1;
  int slave_ = -1;  // held open so the pty never hangs up between clients
  int wake_[2] = {-1, -1};
  int listen_ = -1;
  std::mutex mu_;
  SimEngine engine_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace bianmin::drivers::idcard
