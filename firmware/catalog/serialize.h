// Catalogue values back to the spec's JSON (for `--json` output and tests).
#pragma once

#include <nlohmann/json.hpp>

#include "catalog/model.h"

namespace bianmin::catalog {

nlohmann::json to_json(const Item& item);
nlohmann::json to_json(const Fund& fund);
// code, name, category, category_zh, implementing_body, level, promised_days, kiosk_submittable.
nlohmann::json summary_json(const Item& item);

}  // namespace bianmin::catalog
