// SANE's own `test` backend (sane-backends, package libsane1) as the
// scanner of the tests: a SANE_CONFIG_DIR of our own with a dll.conf that
// loads it (Debian's /etc/sane.d/dll.conf has it commented out, and tests
// must not depend on /etc) and a test.conf with an A4-sized glass.
//
// SANE reads the directory at sane_init, once per process: every test
// binary that scans creates this before main (a static SaneTestConfig)
// and child processes (`bianmin scan page --sane`) inherit it.
#pragma once

#include <cstdlib>
#include <string>

#include "support/testing.h"

namespace bianmin::drivers::docscan::testing {

class SaneTestConfig {
 public:
  SaneTestConfig() {
    bianmin::testing::write_file(dir_.file("dll.conf"), "test\n");
    // The backend's defaults, except: 8-bit grey, the grid picture (black
    // and white squares of 10 mm: something for the pipeline to keep), a
    // 300 mm glass so that A4 fits (the shipped file says 200 mm).
    bianmin::testing::write_file(dir_.file("test.conf"),
                                 "number_of_devices 2\n"
                                 "mode Gray\n"
                                 "depth 8\n"
                                 "resolution 75.0\n"
                                 "test-picture \"Grid\"\n"
                                 "read-limit false\n"
                                 "read-delay false\n"
                                 "read-status-code \"Default\"\n"
                                 "geometry_min 0.0\n"
                                 "geometry_max 300.0\n"
                                 "geometry_quant 1.0\n"
                                 "tl_x 0.0\n"
                                 "tl_y 0.0\n"
                                 "br_x 210.0\n"
                                 "br_y 297.0\n");
    ::setenv("SANE_CONFIG_DIR", dir_.path().c_str(), 1);
  }
  const std::string& path() const { return dir_.path(); }

 private:
  bianmin::testing::TempDir dir_;
};

}  // namespace bianmin::drivers::docscan::testing
