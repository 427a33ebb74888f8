// Carries out the service session's effects (session/service_effects.h) on
// a worker of its own and feeds each answer back through the Inbox.
//
// Credentials and the queue list are read in-process (access/, outbox/).
// What a technician could also run at a console — diagnose, enrol, print a
// test page, change a setting, retry or discard, factory reset — runs as
// that very command of this executable (run_child), with the kiosk's own
// --config/--data-dir/--key-file/--set: the two ways behave the same, are
// audited the same, and a hung check is stopped at its deadline instead of
// leaving a thread behind in the kiosk.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "session/service_effects.h"
#include "store/store.h"
#include "workers.h"

namespace bianmin::ui {

class Shell;

struct ServiceShellOptions {
  std::string self;                  // this executable
  std::vector<std::string> globals;  // the kiosk's global options, for our own commands
  store::StoreOptions store;
  std::string export_dir;            // service.export_dir; empty: the first USB stick mounted
  std::string terminal_code;
  session::DeviceChoices current;    // the devices the kiosk was started with
};

class ServiceShell {
 public:
  ServiceShell(ServiceShellOptions options, Shell& shell, Inbox& inbox);
  ~ServiceShell();
  ServiceShell(const ServiceShell&) = delete;
  ServiceShell& operator=(const ServiceShell&) = delete;

  // Never blocks: queues the effect on the service worker.
  void carry_out(session::ServiceEffect effect);
  // The gesture was made: answers OpenService with what the unlock screen
  // may accept (is the terminal enrolled, is a PIN set).
  void open_service();

 private:
  store::Store* store();
  void answer(session::ServiceInput in);
  // Our own command with the kiosk's globals; its result, or why it could not run.
  struct Ran {
    int exit_code = -1;
    std::string out, err;
  };
  Ran run(std::vector<std::string> args, int timeout_s = 60, std::string stdin_text = {});

  void open_service_now();
  void check_pin(std::string pin);
  void check_card(std::string id_number);
  void run_checks(bool fix);
  void enrol(const std::string& payload);
  void test_printer();
  void test_speaker();
  void list_devices();
  void save_setting(const std::string& key, const std::string& value);
  void load_queue();
  void queue_action(const std::string& verb, const std::string& id, const std::string& technician,
                    const std::string& reason);
  void export_logs(const std::string& technician);
  void factory_reset();
  // service_update.cpp
  void find_bundles();
  void install_update(const std::string& path, const std::string& technician);

  ServiceShellOptions opt_;
  Shell& shell_;
  Inbox& inbox_;
  std::unique_ptr<store::Store> store_;  // used only on the worker
  Worker worker_{"service"};
};

}  // namespace bianmin::ui
