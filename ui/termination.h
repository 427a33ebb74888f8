// How the kiosk ends: only by the service manager or a technician (SIGTERM,
// SIGINT, SIGHUP), never by a resident. SDL turns those signals into
// SDL_QUIT itself, and SDL_QUIT is also what a window manager's close
// (Alt+F4) or the last window closing sends; a kiosk cannot tell those
// apart, so it takes the signals from a signalfd of its own and ignores
// SDL_QUIT (except in a developer's --window).
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace bianmin::ui {

class TerminationWatch {
 public:
  // Blocks the termination signals in the calling thread (call it before
  // any other thread starts, so that every thread inherits the mask) and
  // tells SDL not to install handlers of its own.
  TerminationWatch();
  ~TerminationWatch();
  TerminationWatch(const TerminationWatch&) = delete;
  TerminationWatch& operator=(const TerminationWatch&) = delete;

  // Starts watching; `on_signal` runs on the watcher thread, once.
  void start(std::function<void(int signo)> on_signal);
  bool requested() const { return requested_; }

 private:
  int fd_ = -1;
  std::atomic<bool> stop_{false}, requested_{false};
  std::thread thread_;
};

}  // namespace bianmin::ui
