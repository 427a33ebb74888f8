// Settings the central hands to a terminal when it is enrolled (hall name,
// terminal code, receipt query URL) are kept in the store's settings table by
// the enrolment; the configuration file only holds the defaults a terminal
// uses before it is enrolled. Every reader of such a setting goes through
// here, so the receipt the printer prints and the receipt the scanner
// accepts follow the same, enrolled, value.
#pragma once

#include <string>

#include "base/result.h"
#include "config/config.h"
#include "store/store.h"

namespace bianmin::store {

// The enrolled value of `key` when the store has a non-empty one, else the
// configuration's string setting of the same name.
Result<std::string> enrolled_or_configured(Store& s, const config::Config& cfg, const std::string& key);

}  // namespace bianmin::store
