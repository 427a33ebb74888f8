// Factory reset, for a terminal that is handed over or decommissioned:
// every resident's data (applications, materials, ratings, complaints), the
// catalogue and the enrolment go; the audit chain stays, with the reset
// itself as its newest entry, so supervision can still see what happened.
// The device key is replaced on the next start.
#pragma once

#include <cstdint>

#include "base/result.h"

namespace bianmin::store {

class Store;

struct ResetReport {
  int64_t applications = 0;
  int64_t undelivered = 0;
  int64_t blobs = 0;
};

// Refuses ("undelivered") while applications wait for delivery, unless
// `force`: those residents would have to apply again.
Result<ResetReport> factory_reset(Store& store, bool force);

}  // namespace bianmin::store
