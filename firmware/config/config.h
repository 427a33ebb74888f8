// The terminal's configuration: one TOML file (default /etc/bianmin/bianmin.toml)
// whose every setting can be overridden on the command line, either by a
// dedicated flag (--data-dir, --key-file, --log-level) or by
// `--set section.key=value`.
//
// Settings are declared once, in config.cpp's table, with their type,
// default and documentation; `bianmin config show` and `bianmin config
// defaults` print that table, so the documentation cannot drift from the code.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace bianmin::config {

using Value = std::variant<bool, int64_t, std::string>;

struct SettingInfo {
  std::string_view name;  // "store.busy_timeout_ms"
  Value default_value;
  std::string_view doc;
};

const std::vector<SettingInfo>& settings();

class Config {
 public:
  // All defaults.
  Config();

  // Reads a TOML document; unknown keys are reported as warnings in
  // `warnings`, wrong types and bad values are errors naming key and line.
  Status merge_toml(std::string_view toml_text, std::string_view source_name,
                    std::vector<std::string>* warnings);
  Status merge_file(const std::string& path, std::vector<std::string>* warnings);
  // "section.key=value" from the command line; the value is parsed to the
  // setting's type.
  Status set_override(std::string_view assignment);
  Status set(std::string_view name, const Value& v);

  const std::string& str(std::string_view name) const;
  int64_t integer(std::string_view name) const;
  bool boolean(std::string_view name) const;

  // Derived paths.
  std::string data_dir() const { return str("terminal.data_dir"); }
  std::string key_file() const;
  std::string db_path() const { return data_dir() + "/bianmin.db"; }
  std::string blob_dir() const { return data_dir() + "/blobs"; }

  // "name = value" lines for display; also where each value came from.
  std::vector<std::pair<std::string, std::string>> describe() const;

 private:
  Status check(const SettingInfo& info, const Value& v) const;
  std::map<std::string, Value, std::less<>> values_;
  std::map<std::string, std::string, std::less<>> origin_;
};

std::string to_string(const Value& v);

}  // namespace bianmin::config
