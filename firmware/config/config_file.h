// Changing one setting in the configuration file, as `bianmin config set`
// does for a technician: the file keeps its other settings, the new value
// is checked against the setting's type and rules first, and the file is
// replaced atomically (a power cut leaves the old or the new file).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bianmin::config {

struct SettingChange {
  std::string name;
  std::string old_value;  // as it was in effect before (file or default)
  std::string new_value;
};

Result<SettingChange> write_setting(const std::string& path, std::string_view assignment);

}  // namespace bianmin::config
