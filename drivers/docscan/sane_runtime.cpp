#include "docscan/sane_runtime.h"

#include <pthread.h>
#include <sane/sane.h>
#include <unistd.h>

#include <mutex>
#include <string>

namespace bianmin::drivers::docscan {
namespace {

std::mutex g_mutex;
std::shared_ptr<SaneRuntime>& process_runtime() {
  // Destroyed at exit; scanners still open keep SANE alive past it.
  static std::shared_ptr<SaneRuntime> runtime;
  return runtime;
}

// SANE's sanei_thread, which the test backend and many others use for
// their reader, stops the reader with pthread_cancel in asynchronous mode.
// The first cancelled thread of a process makes glibc load libgcc_s for
// the unwinding, under the dynamic loader's lock; cancelled asynchronously
// in there, the reader left that lock held, and the next thread_local or
// dlopen of the process waited for ever (5 of 30 runs of `scan page
// --sane test:0 --adf` hung so). Cancelling a thread of ours first, at a
// cancellation point, has glibc load it at a safe moment.
void prime_thread_cancellation() {
  pthread_t t;
  if (pthread_create(&t, nullptr, [](void*) -> void* {
        for (;;) pause();  // a cancellation point
      }, nullptr) != 0)
    return;
  pthread_cancel(t);
  pthread_join(t, nullptr);
}

}  // namespace

Result<std::shared_ptr<SaneRuntime>> SaneRuntime::get() {
  std::lock_guard lock(g_mutex);
  auto& rt = process_runtime();
  if (rt) return rt;
  prime_thread_cancellation();
  SANE_Int version = 0;
  // No authorisation callback: a backend that asks for a password fails
  // with SANE_STATUS_ACCESS_DENIED, which is reported as such.
  const SANE_Status st = sane_init(&version, nullptr);
  if (st != SANE_STATUS_GOOD)
    return make_error("scanner_io", "SANE could not be initialised (status " + std::to_string(st) + ")");
  rt.reset(new SaneRuntime());
  rt->version_ = version;
  return rt;
}

SaneRuntime::~SaneRuntime() { sane_exit(); }

}  // namespace bianmin::drivers::docscan
