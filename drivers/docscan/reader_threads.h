// The threads a SANE backend starts for a scan. Backends that read in
// sanei_thread (the test backend among them) end the reader with an
// asynchronous pthread_cancel from sane_cancel; a reader caught on its way
// out, in glibc's thread exit holding an arena lock, leaves the lock held
// and the process hangs. So a scan whose reader already said its last word
// (EOF, a jam) waits until that thread is gone before sane_cancel: the
// threads that appeared during sane_start are the backend's.
#pragma once

#include <chrono>
#include <set>

namespace bianmin::drivers::docscan {

// This process's thread ids (/proc/self/task).
std::set<long> own_threads();

class ReaderThreads {
 public:
  void before_start() { before_ = own_threads(); }
  // After sane_start: the threads it started.
  void after_start();
  // Waits until those threads have exited, at most `limit`; true when they
  // have (or there were none: a backend that reads in the caller's thread).
  bool wait_gone(std::chrono::milliseconds limit) const;

 private:
  std::set<long> before_, started_;
};

}  // namespace bianmin::drivers::docscan
