// The core's checks for `bianmin diagnose`: configuration, store, catalogue,
// delivery and audit. Sync, drivers and ui add theirs beside these.
#pragma once

#include <vector>

#include "cli/runner.h"
#include "diagnose/report.h"

namespace bianmin::cli {

void add_core_checks(diagnose::Checklist& list, Runner& r);

}  // namespace bianmin::cli
