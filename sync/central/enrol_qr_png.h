// The enrolment QR as a picture for the work order: the payload of
// common/enrol_qr.h drawn with the printer's QR encoder, black on white with
// the quiet zone the standard asks for.
#pragma once

#include <string>

#include "base/result.h"

namespace bianmin::sync::central {

Status write_enrol_qr_png(const std::string& path, const std::string& payload, int module_px = 8);

}  // namespace bianmin::sync::central
