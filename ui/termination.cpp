#include "termination.h"

#include <SDL.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/log.h"
#include "base/signals.h"

namespace bianmin::ui {

TerminationWatch::TerminationWatch() {
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  fd_ = termination_signalfd();
}

TerminationWatch::~TerminationWatch() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

void TerminationWatch::start(std::function<void(int)> on_signal) {
  if (fd_ < 0) {
    log::warn("ui", "no signalfd: the kiosk ends only by its own exit paths");
    return;
  }
  thread_ = std::thread([this, on_signal = std::move(on_signal)] {
    pollfd p{fd_, POLLIN, 0};
    // Bounded waits so that the destructor can stop the thread.
    while (!stop_) {
      if (::poll(&p, 1, 200) <= 0) continue;
      signalfd_siginfo info{};
      if (::read(fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) continue;
      if (requested_.exchange(true)) continue;
      log::info("ui", "termination requested", {{"signal", static_cast<int64_t>(info.ssi_signo)}});
      on_signal(static_cast<int>(info.ssi_signo));
    }
  });
}

}  // namespace bianmin::ui
