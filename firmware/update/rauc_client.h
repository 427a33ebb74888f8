// RAUC's D-Bus service (de.pengutronix.rauc.Installer): what the terminal
// asks of it. RAUC does the work that must be right — checking a bundle's
// signature against /etc/rauc/keyring.pem, writing the slot that is not
// running, marking slots in GRUB's environment block; this is only the
// caller's side.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "update/system_bus.h"

namespace bianmin::update {

struct RaucSlot {
  std::string name;        // "rootfs.0"
  std::string bootname;    // "A"
  std::string state;       // "booted", "active", "inactive"
  std::string boot_status; // "good", "bad" (RAUC's reading of X_OK)
  std::string bundle_version;  // of the bundle last installed into it; "" for the factory slot
  std::string installed_at;
};

struct BundleInfo {
  std::string compatible, version;
};

class Rauc {
 public:
  explicit Rauc(SystemBus& bus) : bus_(bus) {}

  // Checks the bundle's signature and reads its manifest. Code "refused"
  // with RAUC's reason when it does not verify.
  Result<BundleInfo> inspect(const std::string& bundle);
  // Installs into the other slot and waits until RAUC is done (or
  // `timeout`). `progress` gets RAUC's percentage and step as they change.
  // Code "refused" when RAUC refused the bundle, "install_failed" otherwise.
  Status install(const std::string& bundle, std::chrono::seconds timeout,
                 const std::function<void(int percent, const std::string& step)>& progress);
  Result<std::vector<RaucSlot>> slots();
  Result<std::string> boot_slot();
  // state: "good", "bad", "active"; which: "booted", "other" or a slot name.
  Status mark(const std::string& state, const std::string& which);

 private:
  SystemBus& bus_;
};

// RAUC's messages for a bundle it will not take: the signature, the
// keyring, the compatible string, the format. They mean "refused, nothing
// changed", not "failed midway".
bool is_refusal(const std::string& rauc_message);

}  // namespace bianmin::update
