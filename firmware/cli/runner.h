// Shared plumbing of the `bianmin` command line: global options, the
// configuration and store opened on demand, exit codes, JSON output.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "store/store.h"

namespace bianmin::diagnose { class Checklist; }
namespace bianmin::queue { class HallQueue; }

namespace bianmin::cli {

// Exit codes shared by the core commands (see README "Exit codes").
enum Exit : int {
  kOk = 0,
  kUsage = 1,        // bad command line
  kRejected = 2,     // input refused: validation failed, catalogue rejected, bad file
  kNotFound = 3,     // no such item / application
  kStoreError = 4,   // store unusable: newer schema, corrupt, disk full, key problem, config invalid
  kIntegrity = 5,    // audit chain broken, integrity check failed, missing blobs
};

struct Globals {
  std::string config_path;
  std::string data_dir;
  std::string key_file;
  std::string log_level;
  std::vector<std::string> sets;
};

class Runner {
 public:
  Globals globals;
  std::function<int()> action;  // set by the chosen command's callback

  // Adds --config, --data-dir, --key-file, --log-level, --set to `app`.
  void add_global_options(CLI::App& app);

  Result<config::Config*> config();
  // The configuration file in use: --config, else $BIANMIN_CONFIG, else
  // /etc/bianmin/bianmin.toml (which need not exist).
  std::string config_path() const;
  // The global options this process got, for running one of our own
  // commands with the same configuration, data and key.
  std::vector<std::string> global_args() const;
  // What the configuration file held that no setting knows (unknown keys),
  // once config() has read it.
  const std::vector<std::string>& config_warnings() const { return config_warnings_; }
  // Opens the store (and runs start-up recovery once per process).
  Result<store::Store*> store();
  // A setting the central hands out at enrolment (terminal.code,
  // terminal.hall_name, receipt.query_url): the enrolled value, else the
  // configuration's (see store/enrolled_settings.h).
  std::string enrolled(const std::string& key);
  // A device address: `given` on the command line (`flag`), else the
  // configuration's devices.<kind>; a "usage" error naming both when neither
  // names one.
  Result<std::string> device(const std::string& given, const std::string& kind, const std::string& flag);
  // The hall's queue of tickets: the one this terminal keeps, or — when
  // the composition root set `hall_queue_opener` (sync/hall/) — the one
  // `queue.host` names on the hall's LAN.
  using HallQueueOpener =
      std::function<Result<std::unique_ptr<queue::HallQueue>>(store::Store&, const config::Config&)>;
  HallQueueOpener hall_queue_opener;
  Result<std::unique_ptr<queue::HallQueue>> open_hall_queue(store::Store& s, const config::Config& cfg);
  // Receipt prefix: the enrolled terminal's code, else terminal.code.
  std::string terminal_code() { return enrolled("terminal.code"); }

  // Prints "bianmin: <message>" on stderr and returns `code`.
  static int fail(const Error& e, int code);
  // Maps a store/config error to its exit code.
  static int exit_for(const Error& e);

 private:
  std::unique_ptr<config::Config> config_;
  std::vector<std::string> config_warnings_;
  std::unique_ptr<store::Store> store_;
};

void print_json(const nlohmann::json& j);

// Makes `fn` the action when `cmd` is the command given.
inline void on_run(CLI::App* cmd, Runner& r, std::function<int()> fn) {
  cmd->callback([&r, fn = std::move(fn)] { r.action = fn; });
}

// Fails with the exit code that fits the error.
inline int fail(const Error& e) { return Runner::fail(e, Runner::exit_for(e)); }

// Each group of commands registers itself on the root app.
void add_catalog_commands(CLI::App& app, Runner& r);
void add_submit_command(CLI::App& app, Runner& r);
void add_queue_commands(CLI::App& app, Runner& r);
void add_audit_commands(CLI::App& app, Runner& r);
void add_store_commands(CLI::App& app, Runner& r);
void add_config_commands(CLI::App& app, Runner& r);
void add_service_commands(CLI::App& app, Runner& r);
void add_clerk_commands(CLI::App& app, Runner& r);
void add_update_commands(CLI::App& app, Runner& r);
// `queue tickets`, `queue take`: under the `queue` command.
void add_ticket_commands(CLI::App* queue, Runner& r);
// `bianmin diagnose`: the core's checks, then each contributor's (sync,
// drivers, ui register theirs from the composition root).
using DiagnoseContributor = std::function<void(diagnose::Checklist&, Runner&)>;
void add_diagnose_command(CLI::App& app, Runner& r, std::vector<DiagnoseContributor> contributors);

}  // namespace bianmin::cli
