// How SAM_V frames travel over USB endpoints (devices.md §1.10), apart from
// libusb itself so that it can be tested against the simulator:
//   * sam_four_endpoints: the frame header (preamble + Len, 7 bytes) goes OUT
//     on 0x02 and CMD..CHK on 0x06; the response header comes IN on 0x81,
//     SW1..CHK on 0x85;
//   * bulk_pair: one vendor-class interface, one IN and one OUT endpoint
//     (bulk or interrupt), whole frames in packets of wMaxPacketSize (64).
#pragma once

#include <libusb.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "idcard/transport.h"

namespace bianmin::drivers::idcard {

struct UsbEndpoint {
  uint8_t address = 0;
  bool interrupt = false;
  uint16_t max_packet = 64;
};

enum class UsbWiring { sam_four_endpoints, bulk_pair };

struct UsbLayout {
  UsbWiring wiring = UsbWiring::bulk_pair;
  int interface = -1;
  int altsetting = 0;
  UsbEndpoint out, in;            // bulk pair, or the header endpoints 0x02 / 0x81
  UsbEndpoint body_out, body_in;  // four endpoints: 0x06 / 0x85
};

// The interface of a configuration that carries SAM_V frames: the
// four-endpoint layout if any interface has it, else the first vendor-class
// (0xFF) interface with an IN and an OUT data endpoint. `classes` gets the
// interface classes seen ("ff 0b "), for error messages.
std::optional<UsbLayout> choose_usb_layout(const libusb_config_descriptor& cfg, std::string* classes);

// One USB transfer each; the libusb implementation lives in usb_transport.cpp.
class UsbLink {
 public:
  virtual ~UsbLink() = default;
  virtual Status transfer_out(const UsbEndpoint& ep, std::span<const uint8_t> bytes, Millis timeout) = 0;
  // Reads what arrives (whole packets, up to about `want` bytes); a timeout
  // appends nothing and is not an error.
  virtual Status transfer_in(const UsbEndpoint& ep, std::size_t want, std::vector<uint8_t>& out, Millis timeout) = 0;
};

class UsbFraming {
 public:
  UsbFraming(UsbLink& link, UsbLayout layout) : link_(link), layout_(layout) {}
  Status send_frame(std::span<const uint8_t> frame, Millis timeout);
  Status receive(std::vector<uint8_t>& out, Millis timeout);
  void discard_input();
  const UsbLayout& layout() const { return layout_; }

 private:
  Status send_packets(const UsbEndpoint& ep, std::span<const uint8_t> bytes, Millis timeout);
  UsbLink& link_;
  UsbLayout layout_;
  // Four endpoints: the header first, then Len bytes of body.
  std::vector<uint8_t> header_;
  std::size_t body_left_ = 0;
};

}  // namespace bianmin::drivers::idcard
