// What `bianmin scan …` and `bianmin sim camera` exit with (the commands'
// help lists it, see cli_scan.cpp) and how they tell an error.
#pragma once

#include <cstdio>

#include "base/result.h"
#include "cli/runner.h"

namespace bianmin::drivers::scan_cli {

constexpr int kOk = 0, kRefused = 2, kNothing = 3, kDevice = 4;

inline int fail_with(const Error& e, int code) {
  std::fprintf(stderr, "bianmin: scan: %s [%s]\n", e.message.c_str(), e.code.c_str());
  return code;
}

// A camera's or code scanner's error: usage, a refused image, else the device.
inline int device_exit(const Error& e) {
  if (e.code == "usage") return cli::kUsage;
  if (e.code == "image_invalid") return kRefused;
  return kDevice;
}

}  // namespace bianmin::drivers::scan_cli
