// An exported audit chain: the spec's upload body {"entries": [...]}, as
// `bianmin audit list` prints it and `bianmin audit verify --file` reads it.
#pragma once

#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "base/result.h"

namespace bianmin::audit {

// Errors: "input_invalid" (not JSON, too deep, not {"entries": [...]}, an
// entry without its members or with a seq that is not an int64).
Result<std::vector<Entry>> parse_export(std::string_view text);

}  // namespace bianmin::audit
