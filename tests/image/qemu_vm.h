// A terminal image booted in qemu for tests: the disk as a copy-on-write
// overlay (the image itself is never written), UEFI firmware (OVMF), the
// display on a virtual VGA card, the network through qemu's user mode (the
// host's loopback is 10.0.2.2 to the guest). The test talks to qemu over QMP
// (screendump, quit) and to the guest over the guest agent's virtio-serial
// port (commands run as root inside the terminal).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bianmin::testing::image {

struct VmOptions {
  std::string image;         // raw disk image (image/build's bianmin.img)
  std::string work_dir;      // overlay, sockets, serial log
  std::string disk_size = "4G";  // the overlay's size: the data partition grows into the rest
  int memory_mib = 2048;
  int cpus = 2;
  std::vector<std::string> extra_args;  // more devices
};

struct GuestResult {
  int exit_code = -1;  // -1: did not finish in time
  std::string out, err;
};

class QemuVm {
 public:
  explicit QemuVm(VmOptions options);
  ~QemuVm();
  QemuVm(const QemuVm&) = delete;
  QemuVm& operator=(const QemuVm&) = delete;

  // Starts qemu; false with `error()` when it cannot. Started again after
  // kill(), it boots the same disk, as a machine does after a power cut.
  bool start();
  // Waits until the guest agent answers (the guest has booted to the point
  // where udev started it).
  bool wait_for_agent(std::chrono::seconds timeout);
  // Runs argv[0] (absolute path) in the guest as root; waits for its end.
  GuestResult exec(const std::vector<std::string>& argv, std::chrono::seconds timeout = std::chrono::seconds(60));
  // Presses keys together, as QMP's send-key takes them
  // ([{"type":"qcode","data":"ctrl"}, …]).
  bool send_keys(const nlohmann::json& keys);
  // The display as a PNG file.
  bool screendump(const std::string& png_path);
  // Powers the VM off at once, as a power cut would.
  void kill();
  // Presses the machine's reset button (QMP system_reset); false when qemu
  // does not answer.
  bool reset();

  // True when the guest's last words on the serial console are the kernel's
  // "reboot: Restarting system" and nothing (not even the firmware's first
  // line) has followed for `quiet`: the emulated machine hung in its reset.
  bool hung_in_reset(std::chrono::seconds quiet) const;
  // What a board's hardware watchdog does to a machine hung in its reset
  // (systemd arms it for RebootWatchdogSec before rebooting): resets it, and
  // cycles its power when qemu does not answer or the reset does not start
  // the firmware within 60 s. Returns what it did.
  std::string recover_from_hung_reset();
  // qemu's state for a failure message: running or exited (how), QMP's run
  // state, how long the serial console has been silent, qemu's own log.
  std::string state();

  const std::string& error() const { return error_; }
  std::string serial_log() const;
  double seconds_since_start() const;

 private:
  nlohmann::json qmp(const nlohmann::json& command);
  nlohmann::json agent(const nlohmann::json& command, std::chrono::seconds timeout);
  bool agent_sync(std::chrono::seconds timeout);

  VmOptions opt_;
  std::string error_;
  int pid_ = -1;
  int exit_status_ = 0;  // waitpid's status once qemu exited (by itself or kill())
  int qmp_fd_ = -1;
  int agent_fd_ = -1;
  std::string agent_buffer_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace bianmin::testing::image
