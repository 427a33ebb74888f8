// Links to a printer (devices.md §2.5): USB printer class through libusb, a
// device node (/dev/usb/lp0 from usblp, a serial or pty node), raw TCP (port
// 9100) and a file. A printer unplugged while in use surfaces as error
// "printer_absent" from write()/read(), never as a hang or a lost slip.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "printer/status.h"

namespace bianmin::drivers::printer {

struct PrinterAddress {
  enum class Kind { usb, dev, tcp, file } kind = Kind::usb;
  uint16_t vid = 0, pid = 0;  // usb: 0:0 = the first printer-class interface
  std::string path;           // dev, file
  std::string host;           // tcp
  uint16_t port = 9100;       // tcp
};

// "usb", "usb:VID:PID" (hex), "dev:/dev/usb/lp0", "tcp:HOST:PORT", "file:PATH".
Result<PrinterAddress> parse_printer_address(std::string_view text);
std::string describe(const PrinterAddress& a);

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends every byte. Errors: "printer_absent" (gone, unplugged, refused),
  // "printer_timeout" (the printer stopped taking data), "io_error".
  virtual Status write(std::string_view bytes) = 0;
  // Whatever the printer sends within `timeout_ms` ("" when nothing).
  virtual Result<std::string> read(std::size_t max, int timeout_ms) = 0;
  // Whether the printer can answer at all (USB protocol 2, TCP, tty, pty).
  virtual bool two_way() const = 0;
  // The Centronics status byte where the link has one (USB, usblp node).
  virtual std::optional<uint8_t> port_status() { return std::nullopt; }
  virtual std::optional<DeviceId> device_id() { return std::nullopt; }
  virtual std::string describe() const = 0;
};

// Opens the link. "printer_absent" when there is no such printer.
Result<std::unique_ptr<Transport>> open_transport(const PrinterAddress& a, int timeout_ms = 5000);

// One constructor per kind, in its own file.
Result<std::unique_ptr<Transport>> open_usb_transport(const PrinterAddress& a, int timeout_ms);
Result<std::unique_ptr<Transport>> open_dev_transport(const PrinterAddress& a, int timeout_ms);
Result<std::unique_ptr<Transport>> open_tcp_transport(const PrinterAddress& a, int timeout_ms);
Result<std::unique_ptr<Transport>> open_file_transport(const PrinterAddress& a);

}  // namespace bianmin::drivers::printer
