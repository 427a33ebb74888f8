// On-demand progress query for a receipt scanned at this terminal
// (GET /api/v1/progress?receipt_no=…&token=…): a resident holds up a
// receipt printed anywhere, the kiosk asks the central. Synchronous; call it
// from a worker thread (invariant 5).
#pragma once

#include "common/url.h"

#include <string>

#include "base/result.h"
#include "client/settings.h"
#include "common/wire.h"

namespace bianmin::store { class Store; }

namespace bianmin::sync {

// Errors: "not_enrolled", "not_found" (no such receipt, or the token does
// not match: the central does not say which), transport errors, "response_invalid".
Result<wire::Status> query_progress(store::Store& s, const SyncSettings& settings, const std::string& receipt_no,
                                    const std::string& token);

}  // namespace bianmin::sync
