// The enrolment QR code: everything `bianmin enroll` needs, so that a
// technician scans the work order instead of typing a URL, a code and 64 hex
// digits on a touch screen.
//
//   bianmin-enrol:?central=<url>&code=<code>&ca=sha256:<64 hex>
//
// Values are percent-encoded (RFC 3986) where they need it; the parameter
// order is free; unknown parameters are ignored (a later central may add
// some); each known parameter appears exactly once. The scheme is matched
// without regard to case, since some scanners upper-case what they read.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bianmin::sync {

struct EnrolQr {
  std::string central_url;     // https://host[:port]
  std::string code;            // the one-time enrolment code
  std::string ca_fingerprint;  // 64 lowercase hex: SHA-256 of the CA certificate's DER
};

inline constexpr std::size_t kMaxEnrolQrBytes = 2048;

// True when `text` starts with the scheme (so it is a payload, not a file name).
bool is_enrol_qr(std::string_view text);
// Errors: "input_invalid" naming what is wrong.
Result<EnrolQr> parse_enrol_qr(std::string_view text);
std::string format_enrol_qr(const EnrolQr& qr);

}  // namespace bianmin::sync
