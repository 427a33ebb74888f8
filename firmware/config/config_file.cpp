#include "config/config_file.h"

#include <toml++/toml.h>

#include <sstream>

#include "base/fs.h"
#include "config/config.h"

namespace bianmin::config {

Result<SettingChange> write_setting(const std::string& path, std::string_view assignment) {
  std::string text;
  if (fs::exists(path)) {
    BIANMIN_ASSIGN(text, fs::read_file(path, 1 << 20));
  }
  Config before;
  BIANMIN_TRY(before.merge_toml(text, path, nullptr));
  Config after = before;
  BIANMIN_TRY(after.set_override(assignment));

  const std::string name(assignment.substr(0, assignment.find('=')));
  const std::string section = name.substr(0, name.find('.'));
  const std::string key = name.substr(name.find('.') + 1);
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return make_error("config_invalid", path + ": " + std::string(e.description()));
  }
  if (!root.contains(section) || !root[section].is_table()) root.insert_or_assign(section, toml::table{});
  toml::table& tbl = *root[section].as_table();
  for (const auto& s : settings()) {
    if (s.name != name) continue;
    if (std::holds_alternative<bool>(s.default_value)) tbl.insert_or_assign(key, after.boolean(name));
    else if (std::holds_alternative<int64_t>(s.default_value)) tbl.insert_or_assign(key, after.integer(name));
    else tbl.insert_or_assign(key, after.str(name));
  }
  std::ostringstream out;
  out << "# bianmin configuration; `bianmin config defaults` documents every setting.\n" << root << "\n";
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  BIANMIN_TRY(fs::make_dirs(dir, 0755));
  BIANMIN_TRY(fs::write_durably(dir, dir, path.substr(slash + 1), out.str(), 0644));

  SettingChange change{name, "", ""};
  for (const auto& [k, v] : before.describe())
    if (k == name) change.old_value = v.substr(0, v.find("  ("));
  for (const auto& [k, v] : after.describe())
    if (k == name) change.new_value = v.substr(0, v.find("  ("));
  return change;
}

}  // namespace bianmin::config
