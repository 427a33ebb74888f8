#include "idcard/usb_framing.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "idcard/protocol.h"

namespace bianmin::drivers::idcard {
namespace {

constexpr uint8_t kClassVendor = 0xFF;

bool is_in(const libusb_endpoint_descriptor& e) { return (e.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) != 0; }

bool is_data(const libusb_endpoint_descriptor& e) {
  const int type = e.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK;
  return type == LIBUSB_TRANSFER_TYPE_BULK || type == LIBUSB_TRANSFER_TYPE_INTERRUPT;
}

UsbEndpoint endpoint(const libusb_endpoint_descriptor& e) {
  UsbEndpoint x;
  x.address = e.bEndpointAddress;
  x.interrupt = (e.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) == LIBUSB_TRANSFER_TYPE_INTERRUPT;
  const uint16_t size = static_cast<uint16_t>(e.wMaxPacketSize & 0x7FF);
  x.max_packet = size ? size : 64;
  return x;
}

}  // namespace

std::optional<UsbLayout> choose_usb_layout(const libusb_config_descriptor& cfg, std::string* classes) {
  std::optional<UsbLayout> pair;
  for (int i = 0; i < cfg.bNumInterfaces; ++i) {
    const libusb_interface& itf = cfg.interface[i];
    for (int a = 0; a < itf.num_altsetting; ++a) {
      const libusb_interface_descriptor& d = itf.altsetting[a];
      if (classes) {
        char cls[8];
        std::snprintf(cls, sizeof cls, "%02x ", d.bInterfaceClass);
        *classes += cls;
      }
      const libusb_endpoint_descriptor *e02 = nullptr, *e06 = nullptr, *e81 = nullptr, *e85 = nullptr;
      const libusb_endpoint_descriptor *first_in = nullptr, *first_out = nullptr;
      for (int k = 0; k < d.bNumEndpoints; ++k) {
        const libusb_endpoint_descriptor& e = d.endpoint[k];
        if (!is_data(e)) continue;
        switch (e.bEndpointAddress) {
          case 0x02: e02 = &e; break;
          case 0x06: e06 = &e; break;
          case 0x81: e81 = &e; break;
          case 0x85: e85 = &e; break;
          default: break;
        }
        if (is_in(e) && !first_in) first_in = &e;
        if (!is_in(e) && !first_out) first_out = &e;
      }
      if (e02 && e06 && e81 && e85) {  // the SAM_V module's own layout wins
        UsbLayout l;
        l.wiring = UsbWiring::sam_four_endpoints;
        l.interface = d.bInterfaceNumber;
        l.altsetting = d.bAlternateSetting;
        l.out = endpoint(*e02);
        l.in = endpoint(*e81);
        l.body_out = endpoint(*e06);
        l.body_in = endpoint(*e85);
        return l;
      }
      if (!pair && d.bInterfaceClass == kClassVendor && first_in && first_out) {
        UsbLayout l;
        l.interface = d.bInterfaceNumber;
        l.altsetting = d.bAlternateSetting;
        l.out = endpoint(*first_out);
        l.in = endpoint(*first_in);
        pair = l;
      }
    }
  }
  return pair;
}

Status UsbFraming::send_packets(const UsbEndpoint& ep, std::span<const uint8_t> bytes, Millis timeout) {
  for (std::size_t done = 0; done < bytes.size();) {
    const std::size_t chunk = std::min<std::size_t>(ep.max_packet, bytes.size() - done);
    BIANMIN_TRY(link_.transfer_out(ep, bytes.subspan(done, chunk), timeout));
    done += chunk;
  }
  return {};
}

Status UsbFraming::send_frame(std::span<const uint8_t> frame, Millis timeout) {
  if (layout_.wiring == UsbWiring::bulk_pair) return send_packets(layout_.out, frame, timeout);
  const std::size_t head = std::min(frame.size(), kHeaderSize);
  BIANMIN_TRY(send_packets(layout_.out, frame.first(head), timeout));
  return send_packets(layout_.body_out, frame.subspan(head), timeout);
}

Status UsbFraming::receive(std::vector<uint8_t>& out, Millis timeout) {
  if (layout_.wiring == UsbWiring::bulk_pair) return link_.transfer_in(layout_.in, layout_.in.max_packet, out, timeout);
  const std::size_t before = out.size();
  if (body_left_ == 0) {
    BIANMIN_TRY(link_.transfer_in(layout_.in, kHeaderSize - header_.size(), out, timeout));
    header_.insert(header_.end(), out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
    if (header_.size() >= kHeaderSize) {
      // Garbage on the header endpoint goes to the parser as it is; only a
      // real header tells how much to take from the body endpoint.
      const bool framed = std::memcmp(header_.data(), kPreamble, sizeof kPreamble) == 0;
      const std::size_t len = (std::size_t{header_[5]} << 8) | header_[6];
      const std::size_t extra = header_.size() - kHeaderSize;  // body bytes that came with the header
      body_left_ = framed && len > extra ? len - extra : 0;
      header_.clear();
    }
    return {};
  }
  BIANMIN_TRY(link_.transfer_in(layout_.body_in, body_left_, out, timeout));
  const std::size_t got = out.size() - before;
  body_left_ = got >= body_left_ ? 0 : body_left_ - got;
  return {};
}

void UsbFraming::discard_input() {
  header_.clear();
  body_left_ = 0;
  std::vector<uint8_t> junk;
  for (const UsbEndpoint* ep : {&layout_.in, &layout_.body_in}) {
    if (ep->address == 0) continue;
    for (int i = 0; i < 64; ++i) {  // bounded: a chatty device cannot hold us here
      const std::size_t before = junk.size();
      if (!link_.transfer_in(*ep, ep->max_packet, junk, Millis(2)) || junk.size() == before) break;
    }
  }
}

}  // namespace bianmin::drivers::idcard
