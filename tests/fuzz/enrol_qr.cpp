// libFuzzer target: the enrolment QR payload a scanner hands the terminal.
// Invariants: no crash; whatever parses formats back to a payload that parses
// to the same values.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/enrol_qr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto qr = bianmin::sync::parse_enrol_qr(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!qr) return 0;
  auto again = bianmin::sync::parse_enrol_qr(bianmin::sync::format_enrol_qr(*qr));
  if (!again || again->central_url != qr->central_url || again->code != qr->code ||
      again->ca_fingerprint != qr->ca_fingerprint)
    std::abort();
  return 0;
}
