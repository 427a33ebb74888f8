// The drivers' checks for `bianmin diagnose`: one a device (ID-card reader,
// receipt printer, document camera, code scanner), each looking at the
// device itself through a fresh link with short I/O timeouts.
#pragma once

#include "cli/runner.h"
#include "diagnose/report.h"

namespace bianmin::drivers {

void add_device_checks(diagnose::Checklist& list, cli::Runner& r);

}  // namespace bianmin::drivers
