#include "docscan/stall_watch.h"

#include <sane/sane.h>

namespace bianmin::drivers::docscan {

namespace {
long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

StallWatch::StallWatch(void* sane_handle, std::chrono::milliseconds limit)
    : handle_(sane_handle), limit_(limit), last_ns_(now_ns()), thread_([this] { watch(); }) {}

StallWatch::~StallWatch() { stop(); }

void StallWatch::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StallWatch::progressed() { last_ns_ = now_ns(); }

void StallWatch::watch() {
  const long long limit_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(limit_).count();
  std::unique_lock<std::mutex> lock(mu_);
  while (!done_) {
    const long long idle = now_ns() - last_ns_.load();
    if (idle >= limit_ns) {
      fired_ = true;
      sane_cancel(static_cast<SANE_Handle>(handle_));
      return;
    }
    cv_.wait_for(lock, std::chrono::nanoseconds(limit_ns - idle));
  }
}

}  // namespace bianmin::drivers::docscan
