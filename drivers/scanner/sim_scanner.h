// Simulated code scanners that speak each personality's real bytes:
//  - evdev: a uinput keyboard when /dev/uinput exists (then EVIOCGRAB and
//    the kernel's input path are real too), else a FIFO carrying the same
//    struct input_event records the kernel would deliver;
//  - hidraw: a FIFO of HID POS scanned-data reports (or boot keyboard
//    reports), the report descriptor beside it as PATH.rdesc;
//  - serial: a pty, raw, carrying the code and the configured suffix.
// unplug() makes the reader see the device go away.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "scanner/code_scanner.h"
#include "scanner/key_decoder.h"

namespace bianmin::drivers::scanner {

struct SimScannerOptions {
  ScannerSpec::Kind kind = ScannerSpec::Kind::evdev;
  Suffix suffix;              // serial
  bool hid_keyboard = false;  // hidraw: a keyboard-mode scanner read raw
  bool enter = true;          // keyboard personalities: Enter after the code
  std::string path;           // where to create the FIFO / pty link; empty: a temporary path
  bool try_uinput = true;
};

class SimScanner {
 public:
  static Result<std::unique_ptr<SimScanner>> create(const SimScannerOptions& o);
  ~SimScanner();
  SimScanner(const SimScanner&) = delete;
  SimScanner& operator=(const SimScanner&) = delete;

  // What to pass to --scanner: "evdev:/dev/input/event7", "hidraw:/tmp/…/hidraw", "serial:/dev/pts/4".
  std::string spec() const;
  bool uses_uinput() const { return uinput_; }
  // Sends one code as the device would. `aim` goes into HID POS reports.
  Status scan(std::string_view text, std::string_view aim = "]Q1");
  // Raw bytes to the device stream (tests: malformed input).
  Status send_raw(std::string_view bytes);
  void unplug();

 private:
  SimScanner() = default;
  Status write_all(std::string_view b);
  Status emit_keys(const std::vector<KeyEvent>& ev);

  SimScannerOptions o_;
  std::string path_;      // the device path readers open
  std::string tmpdir_;    // removed on destruction
  std::string link_;      // symlink made for a pty
  int fd_ = -1;
  int slave_fd_ = -1;     // pty: kept open so the line stays configured
  bool uinput_ = false;
};

// Key events that type `utf8` on a US-layout keyboard wedge: shift for
// capitals and symbols, Ctrl for control characters (GS = Ctrl+]), and
// Alt+numpad for everything else (Windows-1252 as Alt+0NNN, Chinese as the
// GBK code in decimal), then Enter if `enter`. Times start at `t0_us`,
// `step_us` apart.
std::vector<KeyEvent> keys_for_text(std::string_view utf8, bool enter, int64_t t0_us = 0, int64_t step_us = 1000);

}  // namespace bianmin::drivers::scanner
