#include "update/installer.h"

#include <unistd.h>

#include <thread>

#include "base/fs.h"
#include "update/grub_env.h"
#include "update/quiet_gate.h"
#include "update/rauc_client.h"
#include "update/system_bus.h"
#include "update/update_record.h"

namespace bianmin::update {

namespace {
constexpr const char* kRebootRequest = "reboot-request";
}  // namespace

std::string reboot_request_path(const std::string& data_dir) { return data_dir + "/" + kRebootRequest; }

Result<InstallReport> install_bundle(const InstallRequest& req, Rauc& rauc,
                                     const std::function<void(int, const std::string&)>& progress) {
  // The version, for the record. RAUC's Info answers a bundle it will not
  // take with a bare "rauc info error"; the install then says why (the
  // signature, the compatible) before it writes anything.
  auto info = rauc.inspect(req.bundle);
  if (!info && info.error().code != "refused") return info.take_error();
  auto booted = rauc.boot_slot();
  if (!booted) return booted.take_error();
  InstallReport report{info ? info->version : req.expected_version, other_slot(*booted)};
  if (info && !req.expected_version.empty() && info->version != req.expected_version) {
    const std::string why = "the bundle's manifest says version " + info->version + ", the offer " +
                            req.expected_version;
    (void)write_update_record(req.data_dir, {req.expected_version, Outcome::refused, why, "", ""});
    return make_error("refused", why);
  }
  BIANMIN_TRY(write_update_record(req.data_dir, {report.version, Outcome::installing, "", report.slot, ""}));
  if (auto st = rauc.install(req.bundle, req.timeout, progress); !st) {
    const Outcome o = st.error().code == "refused" ? Outcome::refused : Outcome::failed;
    (void)write_update_record(req.data_dir, {report.version, o, st.error().message, report.slot, ""});
    return st.take_error();
  }
  BIANMIN_TRY(write_update_record(req.data_dir, {report.version, Outcome::installed, "", report.slot, ""}));
  if (req.request_reboot)
    BIANMIN_TRY(fs::write_durably(req.data_dir, req.data_dir, kRebootRequest, report.version + "\n", 0644));
  return report;
}

Status reboot_when_quiet(const std::string& data_dir, SystemBus& bus, const std::function<void(const std::string&)>& say) {
  std::chrono::seconds told{0};
  auto gate = shut_when_quiet(data_dir, std::chrono::milliseconds(1000), [&](std::chrono::seconds waited) {
    if (waited - told >= std::chrono::seconds(60)) {
      told = waited;
      say("waiting for the session or delivery under way to end (" + std::to_string(waited.count()) + " s)");
    }
    return true;
  });
  if (!gate) return gate.take_error();
  const std::string req = reboot_request_path(data_dir);
  if (::unlink(req.c_str()) != 0 && errno != ENOENT) return fs::errno_error("unlink", req);
  BIANMIN_TRY(fs::fsync_dir(data_dir));
  say("quiet: rebooting into the installed update");
  BIANMIN_TRY(bus.reboot());
  // Hold the gate shut until the shutdown stops this process.
  std::this_thread::sleep_for(std::chrono::minutes(5));
  return {};
}

}  // namespace bianmin::update
