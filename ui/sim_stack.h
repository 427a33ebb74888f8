// `bianmin kiosk --sim`: the whole terminal on one machine. The simulators
// and services run as child processes of the kiosk, started with the real
// commands (`bianmin sim idcard`, `bianmin sim printer`, `bianmin sim
// scanner`), sharing the kiosk's data directory; they die with the kiosk
// (SIGTERM on exit, and PR_SET_PDEATHSIG should the kiosk be killed). The
// document camera is the camera driver's own simulated source
// (sim:synth:…). The reference central and syncd: see notes().
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"

namespace bianmin::ui {

class SimStack {
 public:
  struct Options {
    std::string bianmin;    // this executable
    std::string data_dir;   // the kiosk's (throw-away or --data-dir)
    std::string assets_dir;
    std::string card = "idcard-resident.json";  // under assets/sim
    bool enrolled = true;  // false: a fresh terminal, enrolled from service mode by its QR
  };
  static Result<std::unique_ptr<SimStack>> start(const Options& o);
  ~SimStack();

  const std::string& idcard_device() const { return idcard_device_; }
  const std::string& printer() const { return printer_; }
  const std::string& scanner() const { return scanner_; }
  // The driver's simulated camera photographing a synthetic page (a V4L2
  // device cannot be made by a process without a kernel module).
  const std::string& camera() const { return camera_; }
  // What is simulated and what is not (yet), for the log and the README.
  const std::vector<std::string>& notes() const { return notes_; }

  // Control lines to the simulators ("place", "remove"; "state paper_out").
  Result<std::string> idcard(const std::string& line);
  // The simulated network: the reference central goes away ("down") and
  // comes back on the same address ("up"); syncd notices by itself.
  Status network(const std::string& up_or_down);
  bool has_central() const { return central_port_ > 0; }
  // The enrolment QR payload a work order for this terminal would carry.
  const std::string& enrol_qr() const { return enrol_qr_; }
  const std::string& central_dir() const { return central_dir_; }
  Status printer_control(const std::string& line) { return stdin_line("printer", line); }
  Status scanner_control(const std::string& line) { return stdin_line("scanner", line); }

 private:
  struct Child {
    std::string name;
    pid_t pid = -1;
    int in = -1, out = -1;
    std::thread drain;
  };
  SimStack() = default;
  // Starts args[0] with args; returns the first line it prints.
  Result<std::string> spawn(const std::string& role, const std::vector<std::string>& args, bool first_line = true);
  Status start_central(int port);
  Status stop_child(const std::string& role);
  std::string central_bin_;
  std::string central_dir_;
  int central_port_ = 0;
  std::vector<std::unique_ptr<Child>> children_;
  Status stdin_line(const std::string& role, const std::string& line);
  std::string idcard_device_, printer_, idcard_socket_, scanner_, camera_;
  std::vector<std::string> notes_;
  std::string enrol_qr_;
};

}  // namespace bianmin::ui
