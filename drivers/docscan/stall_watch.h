// A bound on a backend that stops handing over bytes: a scanner whose USB
// transfer hangs would otherwise hold sane_read, and with it the
// resident's session, for ever. While a frame is read a watch thread
// calls sane_cancel (which the SANE standard allows from another thread)
// once no byte has arrived for the limit; sane_read then returns and the
// scan fails with "scanner_stalled".
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace bianmin::drivers::docscan {

class StallWatch {
 public:
  StallWatch(void* sane_handle, std::chrono::milliseconds limit);
  ~StallWatch();
  StallWatch(const StallWatch&) = delete;
  StallWatch& operator=(const StallWatch&) = delete;

  void progressed();
  // Ends the watch (joins its thread): before the reader's own sane_cancel,
  // so that two never run at once, and once the frame is whole.
  void stop();
  bool fired() const { return fired_.load(); }

 private:
  void watch();

  void* handle_;
  std::chrono::milliseconds limit_;
  std::atomic<long long> last_ns_;
  std::atomic<bool> fired_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace bianmin::drivers::docscan
