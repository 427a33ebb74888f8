// Every SANE_Status as the stable error code callers switch on, with a
// message a clerk or technician can act on. Pure (no libsane call:
// sane_strstatus would need the library initialised and says nothing
// about what to do).
#pragma once

#include <sane/sane.h>

#include <string_view>

#include "base/result.h"

namespace bianmin::drivers::docscan {

// What was being done when the status came back: the same status means
// different things in different calls (sane_open's SANE_STATUS_INVAL is
// the dll backend's answer to a device name nobody knows).
enum class SaneStep { open, option, start, read };

// Codes: "scanner_absent", "scanner_busy", "scanner_jammed",
// "scanner_cover_open", "scanner_no_docs", "scanner_cancelled",
// "scanner_access_denied", "scanner_unsupported", "scanner_io".
// SANE_STATUS_GOOD and SANE_STATUS_EOF are no errors; given them anyway,
// this returns "scanner_io" (a caller that mistook them for one).
Error sane_error(SANE_Status status, SaneStep step, std::string_view device);

}  // namespace bianmin::drivers::docscan
