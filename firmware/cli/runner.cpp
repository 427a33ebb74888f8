#include "cli/runner.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "base/fs.h"
#include "base/log.h"
#include "queue/hall_queue.h"
#include "store/enrolled_settings.h"

namespace bianmin::cli {

void Runner::add_global_options(CLI::App& app) {
  app.add_option("--config", globals.config_path,
                 "Configuration file (TOML). Default: $BIANMIN_CONFIG, else /etc/bianmin/bianmin.toml if present");
  app.add_option("--data-dir", globals.data_dir, "Override terminal.data_dir (store, blobs, device key)");
  app.add_option("--key-file", globals.key_file, "Override terminal.key_file");
  app.add_option("--log-level", globals.log_level, "Override log.level: debug, info, warn, error, off");
  app.add_option("--set", globals.sets, "Override any setting: --set section.key=value (repeatable)");
}

Result<config::Config*> Runner::config() {
  if (config_) return config_.get();
  auto cfg = std::make_unique<config::Config>();
  const std::string path = config_path();
  std::vector<std::string> warnings;
  if (fs::exists(path)) BIANMIN_TRY(cfg->merge_file(path, &warnings));
  else if (path != "/etc/bianmin/bianmin.toml")  // named explicitly, so it must exist
    return make_error("config_invalid", "configuration file " + path + " does not exist");
  for (const auto& s : globals.sets) BIANMIN_TRY(cfg->set_override(s));
  if (!globals.data_dir.empty()) BIANMIN_TRY(cfg->set_override("terminal.data_dir=" + globals.data_dir));
  if (!globals.key_file.empty()) BIANMIN_TRY(cfg->set_override("terminal.key_file=" + globals.key_file));
  if (!globals.log_level.empty()) BIANMIN_TRY(cfg->set_override("log.level=" + globals.log_level));
  log::Level level;
  if (log::parse_level(cfg->str("log.level"), &level)) log::set_level(level);
  // Receipts and the central speak local time with offset: the terminal's
  // zone must not depend on how the image set /etc/localtime.
  if (const std::string& tz = cfg->str("terminal.timezone"); !tz.empty()) {
    ::setenv("TZ", tz.c_str(), 1);
    ::tzset();
  }
  for (const auto& w : warnings) log::warn("config", w);
  config_warnings_ = std::move(warnings);
  config_ = std::move(cfg);
  return config_.get();
}

std::string Runner::config_path() const {
  if (!globals.config_path.empty()) return globals.config_path;
  if (const char* env = std::getenv("BIANMIN_CONFIG"); env && *env) return env;
  return "/etc/bianmin/bianmin.toml";
}

std::vector<std::string> Runner::global_args() const {
  // $BIANMIN_CONFIG and the default file reach the child by themselves.
  std::vector<std::string> a;
  if (!globals.config_path.empty()) a.insert(a.end(), {"--config", globals.config_path});
  if (!globals.data_dir.empty()) a.insert(a.end(), {"--data-dir", globals.data_dir});
  if (!globals.key_file.empty()) a.insert(a.end(), {"--key-file", globals.key_file});
  if (!globals.log_level.empty()) a.insert(a.end(), {"--log-level", globals.log_level});
  for (const auto& s : globals.sets) a.insert(a.end(), {"--set", s});
  return a;
}

Result<store::Store*> Runner::store() {
  if (store_) return store_.get();
  BIANMIN_ASSIGN(config::Config * cfg, config());
  BIANMIN_ASSIGN(store_, store::Store::open(store::StoreOptions::from(*cfg)));
  BIANMIN_TRY(store_->recover());
  return store_.get();
}

Result<std::string> Runner::device(const std::string& given, const std::string& kind, const std::string& flag) {
  if (!given.empty()) return given;
  BIANMIN_ASSIGN(config::Config * cfg, config());
  std::string configured = cfg->str("devices." + kind);
  if (configured.empty()) return make_error("usage", "no " + kind + ": give " + flag + " or set devices." + kind);
  return configured;
}

std::string Runner::enrolled(const std::string& key) {
  auto cfg = config();
  if (!cfg) return config::Config().str(key);
  if (auto s = store(); s)
    if (auto v = store::enrolled_or_configured(**s, **cfg, key)) return *v;
  return (*cfg)->str(key);
}

Result<std::unique_ptr<queue::HallQueue>> Runner::open_hall_queue(store::Store& s, const config::Config& cfg) {
  if (hall_queue_opener) return hall_queue_opener(s, cfg);
  return std::unique_ptr<queue::HallQueue>(std::make_unique<queue::LocalHallQueue>(s));
}

int Runner::fail(const Error& e, int code) {
  std::fprintf(stderr, "bianmin: %s\n", e.message.c_str());
  return code;
}

int Runner::exit_for(const Error& e) {
  if (e.code == "not_found" || e.code == "no_catalog") return kNotFound;
  if (e.code == "validation_failed" || e.code == "input_invalid" || e.code == "catalog_invalid" ||
      e.code == "too_large")
    return kRejected;
  return kStoreError;
}

void print_json(const nlohmann::json& j) {
  std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

}  // namespace bianmin::cli
