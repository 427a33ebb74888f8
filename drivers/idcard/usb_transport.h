// SAM_V frames over raw USB with libusb-1.0 (devices.md §1.10); the two
// known wirings are in usb_framing.h. Readers are matched by a VID:PID list
// (default 0400:C35A and 0316:5020). CCID (class 0B) and CDC (a USB-serial
// reader) are refused with a message saying what to use instead. A kernel
// driver bound to the interface is detached. When the reader is unplugged
// the handle is dropped; the next open() enumerates again, so a re-plugged
// reader (new bus address) is found without a restart.
#pragma once

#include <memory>

#include "idcard/transport.h"
#include "idcard/usb_framing.h"

namespace bianmin::drivers::idcard {

class UsbTransport final : public Transport, private UsbLink {
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

 private:
  Status transfer_out(const UsbEndpoint& ep, std::span<const uint8_t> bytes, Millis timeout) override;
  Status transfer_in(const UsbEndpoint& ep, std::size_t want, std::vector<uint8_t>& out, Millis timeout) override;
  Status open_device(libusb_device* dev);
  Error usb_error(std::string_view op, int rc);

  std::vector<UsbId> ids_;
  libusb_context* ctx_ = nullptr;
  libusb_device_handle* handle_ = nullptr;
  std::unique_ptr<UsbFraming> framing_;
  std::string where_;  // "0400:c35a bus 1 dev 4"
};

}  // namespace bianmin::drivers::idcard
