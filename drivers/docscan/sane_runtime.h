// libsane's global state: sane_init once per process, sane_exit once at the
// end. SANE backends keep process-wide state (the dll backend's list of
// loaded backends, USB and network discovery threads), and initialising
// them again for every scan would repeat that discovery, so the first user
// initialises and the process keeps it; every open scanner holds a
// reference, so sane_exit never runs under an open device, even when a
// worker thread outlives main's statics.
//
// SANE_CONFIG_DIR (where dll.conf and the backends' *.conf are read) is
// read by sane_init and when a backend is first loaded: set it before the
// first get() (the tests point it at a temporary directory).
#pragma once

#include <memory>

#include "base/result.h"

namespace bianmin::drivers::docscan {

class SaneRuntime {
 public:
  // The process's SANE, initialised by the first call. Error
  // "scanner_io" when sane_init fails.
  static Result<std::shared_ptr<SaneRuntime>> get();
  ~SaneRuntime();  // sane_exit
  SaneRuntime(const SaneRuntime&) = delete;
  SaneRuntime& operator=(const SaneRuntime&) = delete;

  int version_code() const { return version_; }

 private:
  SaneRuntime() = default;
  int version_ = 0;
};

}  // namespace bianmin::drivers::docscan
