// Handheld code scanners behind one interface, whatever their USB
// personality (spec devices.md 3.2):
//   evdev:/dev/input/eventN   keyboard wedge; grabbed (EVIOCGRAB) so that
//                             its keystrokes never reach the UI as typing
//   hidraw:/dev/hidrawN       HID POS (usage page 0x8C), or a keyboard-mode
//                             scanner read raw
//   serial:/dev/ttyACM0[@BAUD] CDC-ACM / TTL, 115200 8N1 by default
//
// A path that is not a device node (a FIFO, for the simulators) is read the
// same way: input_event structs for evdev, fixed-size reports for hidraw
// (descriptor from PATH.rdesc when there is one), bytes for serial.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "scanner/key_decoder.h"
#include "scanner/serial_framer.h"

namespace bianmin::drivers::scanner {

struct ScannedCode {
  std::string bytes;      // raw payload; sanitise before showing (domain/code_payload.h)
  std::string format;     // "QRCode", "EAN-13" … from the AIM identifier, else "unknown"
  std::string aim;        // "]Q1" when the scanner sent one
  bool truncated = false;
  bool by_timeout = false;  // ended by the inter-key/-byte gap, not a suffix
};

struct ScannerOptions {
  KeyDecoderOptions keys;                   // evdev and keyboard-mode hidraw
  Suffix suffix;                            // serial (default CR, any line end accepted)
  int baud = 115200;                        // serial
  int64_t inter_byte_timeout_us = 100'000;  // serial
  bool grab = true;                         // evdev: EVIOCGRAB
};

class CodeScanner {
 public:
  virtual ~CodeScanner() = default;
  virtual Status open() = 0;
  virtual void close() = 0;
  // Waits up to `timeout` for one code: nullopt when none came. Errors:
  // "scanner_unplugged" (the device went away; open() again after re-plug),
  // "scanner_io", "scanner_busy" (another program grabbed it).
  virtual Result<std::optional<ScannedCode>> next(std::chrono::milliseconds timeout) = 0;
  virtual std::string describe() const = 0;
};

struct ScannerSpec {
  enum class Kind { evdev, hidraw, serial } kind = Kind::evdev;
  std::string path;
  int baud = 0;  // serial: 0 = options' default
};
// "evdev:PATH" | "hidraw:PATH" | "serial:PATH[@BAUD]"
Result<ScannerSpec> parse_scanner_spec(std::string_view text);
std::unique_ptr<CodeScanner> make_scanner(const ScannerSpec& spec, const ScannerOptions& opts);

// The monotonic clock in microseconds (what decoders' timeouts use).
int64_t monotonic_us();

}  // namespace bianmin::drivers::scanner
