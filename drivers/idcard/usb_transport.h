// SAM_V frames over raw USB with libusb-1.0 (../shared/spec/devices.md §1.10).
// Two wirings are known and both are handled:
//   * the SAM_V module's own four endpoints: the 7-byte frame header goes
//     OUT on 0x02 and CMD..CHK on 0x06; the response header comes IN on 0x81
//     and SW1..CHK on 0x85;
//   * a single vendor-class (0xFF) interface with one bulk (or interrupt)
//     IN/OUT pair carrying whole frames in 64-byte packets (Synjones-style
//     readers, 0400:C35A, 0316:5020).
// CCID (class 0B) and CDC (a USB-serial reader) are refused with a message
// saying what to use instead. A kernel driver bound to the interface is
// detached. When the reader is unplugged the handle is dropped; the next
// open() enumerates again, so a re-plugged reader (new bus address) is found.
#pragma once

#include <memory>

#include "idcard/transport.h"

struct libusb_context;
struct libusb_device_handle;

namespace bianmin::drivers::idcard {

class UsbTransport final : public Transport {
 public:
  explicit UsbTransport(std::vector<UsbId> ids);
  ~UsbTransport() override;
  UsbTransport(const UsbTransport&) = delete;
  UsbTransport& operator=(const UsbTransport&) = delete;

  Status open() override;
  void close() override;
  bool is_open() const override { return handle_ != nullptr; }
  Status send_frame(std::span<const uint8_t> frame, Millis timeout) override;
  Status receive(std::vector<uint8_t>& out, Millis timeout) override;
  void discard_input() override;
  int baud() const override { return 0; }
  std::string describe() const override;

  enum class Wiring { sam_four_endpoints, bulk_pair };

 private:
  struct Endpoint {
    uint8_t address = 0;
    bool interrupt = false;
    uint16_t max_packet = 64;
  };
  Status transfer_out(const Endpoint& ep, std::span<const uint8_t> bytes, Millis timeout);
  // Reads up to `want` bytes (rounded up to whole packets); a timeout
  // returns what arrived.
  Status transfer_in(const Endpoint& ep, std::size_t want, std::vector<uint8_t>& out, Millis timeout);
  Error usb_error(std::string_view op, int rc);

  std::vector<UsbId> ids_;
  libusb_context* ctx_ = nullptr;
  libusb_device_handle* handle_ = nullptr;
  int interface_ = -1;
  Wiring wiring_ = Wiring::bulk_pair;
  Endpoint out_, in_;                 // bulk pair, or header endpoints (0x02 / 0x81)
  Endpoint body_out_, body_in_;       // four-endpoint wiring: 0x06 / 0x85
  std::string where_;                 // "0400:c35a bus 1 dev 4"
  // Four-endpoint receive state: header first, then Len bytes of body.
  std::vector<uint8_t> header_;
  std::size_t body_left_ = 0;
};

}  // namespace bianmin::drivers::idcard
