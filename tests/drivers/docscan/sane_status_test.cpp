// Every SANE status a scan can end with becomes the error code the
// counter UI switches on (and a message saying what to do).
#include "docscan/sane_status.h"

#include <gtest/gtest.h>

namespace bianmin::drivers::docscan {
namespace {

TEST(SaneStatus, EachStatusHasItsCode) {
  struct Case {
    SANE_Status st;
    SaneStep step;
    const char* code;
  };
  for (const Case& c : {Case{SANE_STATUS_INVAL, SaneStep::open, "scanner_absent"},
                        Case{SANE_STATUS_IO_ERROR, SaneStep::open, "scanner_absent"},
                        Case{SANE_STATUS_UNSUPPORTED, SaneStep::open, "scanner_absent"},
                        Case{SANE_STATUS_DEVICE_BUSY, SaneStep::open, "scanner_busy"},
                        Case{SANE_STATUS_ACCESS_DENIED, SaneStep::open, "scanner_access_denied"},
                        Case{SANE_STATUS_JAMMED, SaneStep::read, "scanner_jammed"},
                        Case{SANE_STATUS_COVER_OPEN, SaneStep::start, "scanner_cover_open"},
                        Case{SANE_STATUS_NO_DOCS, SaneStep::start, "scanner_no_docs"},
                        Case{SANE_STATUS_CANCELLED, SaneStep::read, "scanner_cancelled"},
                        Case{SANE_STATUS_IO_ERROR, SaneStep::read, "scanner_io"},
                        Case{SANE_STATUS_NO_MEM, SaneStep::read, "scanner_io"},
                        Case{SANE_STATUS_INVAL, SaneStep::option, "scanner_io"},
                        Case{SANE_STATUS_UNSUPPORTED, SaneStep::option, "scanner_unsupported"},
                        Case{static_cast<SANE_Status>(SANE_STATUS_ACCESS_DENIED + 1), SaneStep::read, "scanner_io"}}) {
    const Error e = sane_error(c.st, c.step, "test:0");
    EXPECT_EQ(e.code, c.code) << "status " << c.st;
    EXPECT_NE(e.message.find("test:0"), std::string::npos) << e.message;
  }
  EXPECT_NE(sane_error(SANE_STATUS_JAMMED, SaneStep::read, "x").message.find("jam"), std::string::npos);
}

}  // namespace
}  // namespace bianmin::drivers::docscan
