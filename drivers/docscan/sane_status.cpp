#include "docscan/sane_status.h"

#include <string>

namespace bianmin::drivers::docscan {
namespace {

const char* step_name(SaneStep s) {
  switch (s) {
    case SaneStep::open: return "open";
    case SaneStep::option: return "setting an option";
    case SaneStep::start: return "start";
    case SaneStep::read: return "read";
  }
  return "?";
}

}  // namespace

Error sane_error(SANE_Status status, SaneStep step, std::string_view device) {
  const std::string where = "scanner " + std::string(device) + ": " + step_name(step) + ": ";
  switch (status) {
    case SANE_STATUS_DEVICE_BUSY:
      return make_error("scanner_busy", where + "the scanner is busy (another program uses it, or it is warming up)");
    case SANE_STATUS_JAMMED:
      return make_error("scanner_jammed", where + "paper jam: open the feeder, remove the sheet, and scan it again");
    case SANE_STATUS_NO_DOCS:
      return make_error("scanner_no_docs", where + "no paper in the document feeder");
    case SANE_STATUS_COVER_OPEN:
      return make_error("scanner_cover_open", where + "the scanner's cover or feeder is open: close it");
    case SANE_STATUS_CANCELLED: return make_error("scanner_cancelled", where + "cancelled");
    case SANE_STATUS_ACCESS_DENIED:
      return make_error("scanner_access_denied",
                        where + "access denied (device permissions, or the backend wants a password)");
    case SANE_STATUS_UNSUPPORTED:
      if (step == SaneStep::open) break;
      return make_error("scanner_unsupported", where + "the scanner does not support this");
    case SANE_STATUS_INVAL:
      // sane_open answers INVAL for a name no backend claims (the dll
      // backend) and most backends for a device that was unplugged.
      if (step == SaneStep::open) break;
      return make_error("scanner_io", where + "the backend refused the request (invalid argument)");
    case SANE_STATUS_NO_MEM: return make_error("scanner_io", where + "the backend ran out of memory");
    case SANE_STATUS_IO_ERROR:
      if (step == SaneStep::open) break;
      return make_error("scanner_io", where + "I/O error talking to the scanner (cable, power, USB)");
    case SANE_STATUS_GOOD:
    case SANE_STATUS_EOF: return make_error("scanner_io", where + "no error (status " + std::to_string(status) + ")");
  }
  if (step == SaneStep::open)
    return make_error("scanner_absent", where + "no such scanner, or it is not connected (status " +
                                            std::to_string(status) + "); `scanimage -L` lists what SANE sees");
  return make_error("scanner_io", where + "unknown SANE status " + std::to_string(status));
}

}  // namespace bianmin::drivers::docscan
