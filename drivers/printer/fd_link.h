// Writing to and reading from a file descriptor with deadlines: the common
// part of the device-node, TCP and file transports.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bianmin::drivers::printer {

class FdLink {
 public:
  explicit FdLink(int fd, std::string what) : fd_(fd), what_(std::move(what)) {}
  ~FdLink();
  FdLink(const FdLink&) = delete;
  FdLink& operator=(const FdLink&) = delete;

  int fd() const { return fd_; }
  // Every byte within `timeout_ms` of no progress. ENODEV/EPIPE/ECONNRESET
  // (unplugged, closed) → "printer_absent".
  Status write_all(std::string_view bytes, int timeout_ms);
  // Up to `max` bytes that arrive within `timeout_ms` ("" on timeout).
  Result<std::string> read_some(std::size_t max, int timeout_ms);

 private:
  int fd_;
  std::string what_;
};

}  // namespace bianmin::drivers::printer
