// sync's checks for `bianmin diagnose`: enrolment and the network to the
// central; and the repairs only sync can make (fetch the catalogue anew,
// wake the sync daemon).
#pragma once

#include "cli/runner.h"
#include "diagnose/report.h"

namespace bianmin::sync {

void add_sync_checks(diagnose::Checklist& list, cli::Runner& r);

}  // namespace bianmin::sync
