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
  int qmp_fd_ = -1;
  int agent_fd_ = -1;
  std::string agent_buffer_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace bianmin::testing::image
