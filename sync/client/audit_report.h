// The audit part of the heartbeat (an extension field, see README "Central
// interface extensions"); `bianmin sync status` shows the same object, so a
// technician reads exactly what the central is told.
#pragma once

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "store/store.h"

namespace bianmin::sync {

// {"head_seq": 42, "accepted_through": 40, "break": null
//  | {"seq": 9, "kind": "truncated", "message": "…", "detected_at": "…"}}
// A break is the one recorded in the anchor, or a mismatch between the
// anchor and the head found now (before the next append records it).
Result<nlohmann::json> audit_report(store::Store& s);

}  // namespace bianmin::sync
