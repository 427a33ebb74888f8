// Installing a bundle, for the technician's `bianmin update install` and for
// syncd when the central offers an update: RAUC checks and writes the other
// slot; this records each step in update.json and, when the slot is
// written, asks for the reboot (data_dir/reboot-request, which
// bianmin-reboot.path hands to `bianmin update reboot-when-quiet`, root).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/result.h"

namespace bianmin::update {

class Rauc;
class SystemBus;

struct InstallRequest {
  std::string bundle;     // a local file
  std::string data_dir;
  std::chrono::seconds timeout{3600};
  bool request_reboot = true;
  // The version the central offered (empty: a technician's bundle). A
  // bundle whose manifest says otherwise is refused, and a refusal is
  // recorded under this version even when RAUC could not read the bundle's
  // manifest (a bad signature), so that the offer is not taken again.
  std::string expected_version = {};
};

struct InstallReport {
  std::string version;  // the bundle's
  std::string slot;     // the slot written
};

// Errors: "refused" (signature, compatible, format: nothing changed),
// "install_failed", "rauc_unavailable", "bus_failed".
Result<InstallReport> install_bundle(const InstallRequest& req, Rauc& rauc,
                                     const std::function<void(int percent, const std::string& step)>& progress);

// The file whose appearance starts the reboot unit.
std::string reboot_request_path(const std::string& data_dir);

// Waits for the quiet gate, withdraws the request and reboots; keeps the
// gate shut until the machine goes down.
Status reboot_when_quiet(const std::string& data_dir, SystemBus& bus, const std::function<void(const std::string&)>& say);

}  // namespace bianmin::update
