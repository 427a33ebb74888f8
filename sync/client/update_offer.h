// Whether to act on an update the central offers: not when the terminal
// already runs that version, not while an install of it waits for its
// reboot, and never again for a version RAUC refused or that was rolled
// back here (the central must offer a newer one). A failed download or
// install is retried.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "common/wire.h"
#include "update/update_record.h"

namespace bianmin::sync {

struct OfferVerdict {
  bool take = false;
  std::string why;  // when not taken, for the log
};

OfferVerdict judge_offer(const wire::UpdateOffer& offer, const std::string& running_version,
                         const std::optional<update::UpdateRecord>& last);

// The booted slot's bundle version in a system report (update/system_report.h);
// "" for the factory slot or without RAUC.
std::string running_version(const nlohmann::json& system_report);

}  // namespace bianmin::sync
