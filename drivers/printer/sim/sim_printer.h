// A simulated ESC/POS printer on loopback TCP (a network printer's port
// 9100, but on 127.0.0.1): it parses what it receives as a printer does,
// answers DLE EOT 1–4 from a configurable paper state, keeps the bytes it
// received and, separately, the bytes it actually put on paper (nothing
// while the paper is out or the cover open). For tests and the kiosk's
// simulated mode.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"
#include "printer/status.h"

namespace bianmin::drivers::printer {

// The answer of a printer in `state` to DLE EOT n (n = 1..4).
uint8_t sim_status_byte(PrinterState state, int n);
std::optional<PrinterState> parse_state(std::string_view s);

class SimPrinter {
 public:
  // Listens on host:port (port 0: any free one).
  static Result<std::unique_ptr<SimPrinter>> start(const std::string& host = "127.0.0.1", uint16_t port = 0);
  ~SimPrinter();
  SimPrinter(const SimPrinter&) = delete;
  SimPrinter& operator=(const SimPrinter&) = delete;

  std::string address() const;  // "tcp:127.0.0.1:PORT", a PRINTER argument
  void set_state(PrinterState s) { state_ = static_cast<int>(s); }
  PrinterState state() const { return static_cast<PrinterState>(state_.load()); }
  // Appends every received byte to this file too ("" = none).
  void record_to(const std::string& path);
  void paper_to(const std::string& path);

  std::string received() const;
  std::string printed() const;
  int status_queries() const { return queries_; }
  void stop();

 private:
  SimPrinter(int fd, std::string host, uint16_t port);
  void serve();
  void handle(int fd);
  int listen_fd_;
  int stop_pipe_[2] = {-1, -1};
  std::string host_;
  uint16_t port_;
  std::atomic<int> state_{0};
  std::atomic<int> queries_{0};
  mutable std::mutex mu_;
  std::string received_, printed_, record_path_, paper_path_;
  std::thread thread_;
};

}  // namespace bianmin::drivers::printer
