// libFuzzer target: what a USB ID-card reader hands the host. (1) Its
// configuration descriptor, as libusb parsed it (interfaces, alternate
// settings, endpoints with any addresses, types and packet sizes), through
// choose_usb_layout; (2) the packets it sends on the chosen endpoints,
// through UsbFraming::receive (header endpoint, then Len bytes from the body
// endpoint) into the response parser.
//
// Invariants: no crash; every byte the device sent reaches the parser once
// (the framing neither drops nor repeats bytes); the body endpoint is never
// asked for more than a 16-bit Len; a bounded number of transfers per input.
//
// Input layout: interface count, then per interface its alternate settings
// (class, endpoint count, per endpoint address / attributes / wMaxPacketSize
// LE); the rest are transfers, each a length byte followed by the payload.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "idcard/protocol.h"
#include "idcard/usb_framing.h"

using namespace bianmin::drivers::idcard;
using bianmin::Status;

namespace {

class Input {
 public:
  Input(const uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  uint8_t byte() { return at_ < n_ ? d_[at_++] : 0; }
  uint16_t le16() {
    const uint16_t lo = byte();  // two statements: the order of reads is fixed
    return static_cast<uint16_t>(lo | (byte() << 8));
  }
  std::span<const uint8_t> take(std::size_t n) {
    n = std::min(n, n_ - at_);
    std::span<const uint8_t> s(d_ + at_, n);
    at_ += n;
    return s;
  }
  bool empty() const { return at_ >= n_; }

 private:
  const uint8_t* d_;
  std::size_t n_, at_ = 0;
};

// A reader whose IN transfers deliver the next bytes of the input. Like
// UsbTransport::transfer_in, a transfer has room for whole packets (1 to 64
// of them, enough for `want`), so a device may send more than was asked for
// (a full packet when the framing wanted the 7 header bytes): that is the
// case the framing must hand on without losing the surplus.
class FuzzLink final : public UsbLink {
 public:
  explicit FuzzLink(Input& in) : in_(in) {}
  Status transfer_out(const UsbEndpoint&, std::span<const uint8_t>, Millis) override { return {}; }
  Status transfer_in(const UsbEndpoint& ep, std::size_t want, std::vector<uint8_t>& out, Millis) override {
    if (ep.address == body_in_ && want > 0xFFFF) std::abort();
    const std::size_t mp = ep.max_packet;
    const std::size_t room = std::clamp<std::size_t>((want + mp - 1) / mp, 1, 64) * mp;
    // Below 0xC0 the byte is a short transfer's length; from 0xC0 up it
    // counts whole packets (1..64), so both are one mutation away.
    const uint8_t b = in_.byte();
    const std::size_t n = b < 0xC0 ? std::min<std::size_t>(b, room) : std::min<std::size_t>(room, (b - 0xBFu) * mp);
    auto s = in_.take(n);
    out.insert(out.end(), s.begin(), s.end());
    delivered_ += s.size();
    return {};
  }
  void watch_body(uint8_t address) { body_in_ = address; }
  std::size_t delivered() const { return delivered_; }

 private:
  Input& in_;
  std::size_t delivered_ = 0;
  int body_in_ = -1;  // an int: no endpoint address matches until set
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  // The descriptor tree, owned by these vectors (libusb's own layout). The
  // outer vectors are sized before any pointer into them is taken.
  const int n_itf = in.byte() % 5;
  std::vector<std::vector<libusb_interface_descriptor>> alts(static_cast<std::size_t>(n_itf));
  std::vector<std::vector<libusb_endpoint_descriptor>> endpoints(static_cast<std::size_t>(n_itf) * 3);
  std::size_t used = 0;
  for (int i = 0; i < n_itf; ++i) {
    const int n_alt = 1 + in.byte() % 3;
    for (int a = 0; a < n_alt; ++a) {
      libusb_interface_descriptor d{};
      d.bInterfaceNumber = static_cast<uint8_t>(i);
      d.bAlternateSetting = static_cast<uint8_t>(a);
      d.bInterfaceClass = in.byte();
      const int n_ep = in.byte() % 9;
      auto& eps = endpoints[used++];
      for (int k = 0; k < n_ep; ++k) {
        libusb_endpoint_descriptor e{};
        e.bEndpointAddress = in.byte();
        e.bmAttributes = in.byte();
        e.wMaxPacketSize = in.le16();
        eps.push_back(e);
      }
      d.bNumEndpoints = static_cast<uint8_t>(eps.size());
      d.endpoint = eps.data();
      alts[static_cast<std::size_t>(i)].push_back(d);
    }
  }
  std::vector<libusb_interface> interfaces;
  for (auto& a : alts) {
    libusb_interface itf{};
    itf.altsetting = a.data();
    itf.num_altsetting = static_cast<int>(a.size());
    interfaces.push_back(itf);
  }
  libusb_config_descriptor cfg{};
  cfg.bNumInterfaces = static_cast<uint8_t>(interfaces.size());
  cfg.interface = interfaces.data();
  std::string classes;
  auto layout = choose_usb_layout(cfg, &classes);
  // One "xx " per alternate setting seen; only the SAM layout stops early.
  if ((!layout || layout->wiring == UsbWiring::bulk_pair) && classes.size() != 3 * used) std::abort();
  if (!layout) return 0;
  if (layout->in.max_packet == 0 || (layout->wiring == UsbWiring::sam_four_endpoints && layout->body_in.max_packet == 0))
    std::abort();  // a zero packet size would make every read empty forever

  FuzzLink link(in);
  if (layout->wiring == UsbWiring::sam_four_endpoints) link.watch_body(layout->body_in.address);
  UsbFraming framing(link, *layout);
  ResponseParser parser;
  std::vector<uint8_t> got;
  std::size_t passed = 0;
  // Every transfer reads at least its length byte, so the input bounds the
  // loop; the count bounds it as well.
  for (int i = 0; i < 4096 && !in.empty(); ++i) {
    got.clear();
    if (!framing.receive(got, Millis(1))) std::abort();
    passed += got.size();
    parser.feed(got);
    while (auto r = parser.next()) (void)r;
  }
  if (passed != link.delivered()) std::abort();
  framing.discard_input();
  return 0;
}
