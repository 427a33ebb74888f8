// Serial (CDC-ACM / TTL) scanners send the code's bytes followed by a
// record suffix that the scanner is configured with: none, CR, LF, CRLF,
// TAB or one user byte; vendors' defaults differ (CR or CRLF). Because of
// that, the line suffixes (cr, lf, crlf) each accept any of CR, LF and CRLF
// (an empty "code" between CR and LF is no code). With `none`, or when a
// scanner sends no suffix, a code ends when no byte came for the
// inter-byte timeout.
//
// Pure: bytes in, codes out. Fuzzed with the key decoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bianmin::drivers::scanner {

struct Suffix {
  enum class Kind { none, cr, lf, crlf, tab, byte } kind = Kind::cr;
  uint8_t byte = 0;
  // "none" | "cr" | "lf" | "crlf" | "tab" | "0xNN"
  static Result<Suffix> parse(std::string_view text);
  std::string name() const;
  // The bytes a scanner appends (for simulators).
  std::string bytes() const;
};

struct FramedCode {
  std::string bytes;
  bool by_timeout = false;
  bool truncated = false;
};

class SerialFramer {
 public:
  SerialFramer(Suffix s, int64_t inter_byte_timeout_us = 100'000, std::size_t max_bytes = 8192)
      : suffix_(s), timeout_us_(inter_byte_timeout_us), max_(max_bytes) {}

  // Bytes as they arrived at `now_us`; returns the codes they complete.
  std::vector<FramedCode> feed(std::string_view bytes, int64_t now_us);
  std::optional<FramedCode> poll(int64_t now_us);
  std::optional<int64_t> deadline_us() const;

 private:
  bool is_end(unsigned char c) const;
  FramedCode take(bool by_timeout);

  Suffix suffix_;
  int64_t timeout_us_;
  std::size_t max_;
  std::string buf_;
  bool truncated_ = false;
  int64_t last_us_ = 0;
};

}  // namespace bianmin::drivers::scanner
