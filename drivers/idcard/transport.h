// How frames reach the reader: a serial line (UART, USB-serial bridge, pty)
// or raw USB. The SAM session (sam_reader.h) talks to this interface only.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bianmin::drivers::idcard {

using Millis = std::chrono::milliseconds;

// Error codes a transport returns (Error.code):
//   reader_not_found      no such device / no matching USB device
//   reader_busy           another process holds it
//   reader_access_denied  permissions (udev rule / group missing)
//   reader_unsupported    the device does not speak SAM_V in a way we know
//   reader_disconnected   it went away while open (unplug); reopen later
//   reader_io             any other I/O failure
class Transport {
 public:
  virtual ~Transport() = default;
  // Opens (or re-opens after an unplug). Idempotent when already open.
  virtual Status open() = 0;
  virtual void close() = 0;
  virtual bool is_open() const = 0;
  // Sends one whole command frame (a USB wiring may split it).
  virtual Status send_frame(std::span<const uint8_t> frame, Millis timeout) = 0;
  // Appends whatever arrives within `timeout` to `out` (at least one byte
  // unless it times out; a timeout is not an error: nothing is appended).
  virtual Status receive(std::vector<uint8_t>& out, Millis timeout) = 0;
  // Drops unread input (stale bytes of an earlier, abandoned exchange).
  virtual void discard_input() = 0;
  // Line rate in bit/s when it limits transfer time (serial), else 0.
  virtual int baud() const = 0;
  // "serial:/dev/ttyUSB0@115200", "usb:0400:c35a (bus 1 dev 4, bulk pair)".
  virtual std::string describe() const = 0;
};

// Which transport a --device string names:
//   serial:PATH[@BAUD]          (BAUD default 115200)
//   usb                          (the default VID:PID list)
//   usb:VID:PID[,VID:PID…]       (hex)
struct UsbId {
  uint16_t vid = 0, pid = 0;
};
struct DeviceSpec {
  enum class Kind { serial, usb } kind = Kind::serial;
  std::string path;
  int baud = 115200;
  std::vector<UsbId> usb_ids;
  std::string text;  // as given
};
// Readers known to carry SAM_V frames over a vendor-class bulk pair (§1.10).
std::vector<UsbId> default_usb_ids();
Result<DeviceSpec> parse_device_spec(std::string_view text);
// The transport for a spec (not yet opened).
std::unique_ptr<Transport> make_transport(const DeviceSpec& spec);

}  // namespace bianmin::drivers::idcard
