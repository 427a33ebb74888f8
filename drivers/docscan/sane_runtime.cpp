#include "docscan/sane_runtime.h"

#include <sane/sane.h>

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

}  // namespace

Result<std::shared_ptr<SaneRuntime>> SaneRuntime::get() {
  std::lock_guard lock(g_mutex);
  auto& rt = process_runtime();
  if (rt) return rt;
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
