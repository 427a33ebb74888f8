// Everything that can happen in the technician's service mode, as plain
// values: intents from the service screens and events from the workers.
// Touch, Tick and IdCard are the resident session's own types: the screen,
// the clock and the card reader are the same for both roles.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "diagnose/report.h"
#include "session/inputs.h"

namespace bianmin::session {

enum class ServiceScreen {
  closed,         // not in service mode: the resident session has the screen
  unlock,         // PIN pad; a technician card; on a fresh terminal the enrolment QR
  checklist,      // the diagnose report and the menu
  enrol,          // scan the enrolment QR (no typing)
  devices,        // the four devices, each with its test
  device_test,    // one device's test and its result
  settings,       // [devices] and [printer] from what is plugged in
  queue,          // quarantined applications: retry, or discard with a reason
  export_logs,    // logs and the report to a USB stick
  system_update,  // the slots and a signed bundle from a USB stick to install
  factory_reset,  // asks for confirmation
};
const char* service_screen_key(ServiceScreen s);

enum class DeviceKind { idcard, printer, camera, scanner, speaker };
const char* device_kind_name(DeviceKind d);

// ---- intents (the technician's touches) ----
// The kiosk recognised the service gesture (service_gesture.h). The shell
// says what the unlock screen may accept.
struct OpenService {
  bool enrolled = true;  // a fresh terminal takes its enrolment QR as the credential
  bool pin_set = false;
};
struct EnterPin { std::string pin; };
struct ServiceGo { ServiceScreen screen = ServiceScreen::checklist; };
struct RunChecks { bool fix = false; };
struct TestDevice { DeviceKind device = DeviceKind::idcard; };
struct ChooseDevice { DeviceKind device = DeviceKind::idcard; std::string spec; };  // "" = none fitted
// One of the settings service mode offers ("printer.width_dots=576",
// "voice.volume=60"): written to the configuration file.
struct ChooseSetting { std::string assignment; };
struct LoadQueue {};
struct RetryApplication { std::string client_id; };
struct DiscardApplication { std::string client_id, reason; };
struct ExportLogs {};
struct InstallUpdate { std::string path; };  // a bundle BundlesFound listed
struct ConfirmFactoryReset { std::string typed; };  // the technician types the terminal's code
struct LeaveService {};

// ---- events (from the workers) ----
struct CredentialChecked {
  bool ok = false;
  std::string technician;  // who, as the audit chain names them ("pin", "card:6207**********1232")
  int attempts_left = 0;
  int64_t locked_for_s = 0;  // > 0: too many wrong PINs
};
// Text read by the code scanner or the camera, as it was read.
struct ServiceCode {
  std::string text;
  bool enrol_payload = false;  // the shell recognised an enrolment QR
};
struct ChecksDone { diagnose::Report report; };
struct EnrolDone { bool ok = false; std::string terminal_id, message; };
struct DeviceTested {
  DeviceKind device = DeviceKind::idcard;
  bool ok = false;
  std::vector<std::string> lines;  // what to show: a state, figures; never unmasked personal data
};
struct DeviceChoices {
  std::vector<std::string> idcard, printer, camera, scanner;  // device specs found plugged in
  std::vector<std::string> printer_profiles;
  std::vector<std::string> voice_volumes;  // "voice.volume=N"
  std::string current_volume;              // "voice.volume=80"
  std::string current_idcard, current_printer, current_camera, current_scanner, current_profile;
};
struct DevicesListed { DeviceChoices choices; };
struct QueueEntry { std::string client_id, item_code, error, since; };
struct QueueListed { std::vector<QueueEntry> entries; };
// A worker finished an action: a setting saved, a queue entry retried or
// discarded, logs exported; `message` says what happened.
struct ServiceActionDone { bool ok = false; std::string message; };
struct FactoryResetDone { bool ok = false; std::string message; };
struct StickBundleFile { std::string path, name; int64_t bytes = 0; };
struct BundlesFound {
  std::vector<std::string> system;  // the slots and the last update, a line each
  std::string stick;                // where the stick is mounted; "" when none is
  std::vector<StickBundleFile> bundles;
};

using ServiceInput =
    std::variant<Touch, Tick, IdCard, OpenService, EnterPin, ServiceGo, RunChecks, TestDevice, ChooseDevice,
                 ChooseSetting, LoadQueue, RetryApplication, DiscardApplication, ExportLogs, InstallUpdate,
                 ConfirmFactoryReset, LeaveService, CredentialChecked, ServiceCode, ChecksDone, EnrolDone,
                 DeviceTested, DevicesListed, QueueListed, ServiceActionDone, FactoryResetDone, BundlesFound>;

}  // namespace bianmin::session
