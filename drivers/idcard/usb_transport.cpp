#include "idcard/usb_transport.h"

#include <algorithm>
#include <cstdio>

#include "base/log.h"

namespace bianmin::drivers::idcard {
namespace {

constexpr uint8_t kClassCcid = 0x0B;
constexpr uint8_t kClassCdc = 0x02;
constexpr uint8_t kClassCdcData = 0x0A;

unsigned timeout_ms(Millis t) {
  return t.count() <= 0 ? 1u : static_cast<unsigned>(std::min<long long>(t.count(), 60000));
}

std::string hex4(uint16_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04x", v);
  return b;
}

}  // namespace

UsbTransport::UsbTransport(std::vector<UsbId> ids) : ids_(std::move(ids)) {}

UsbTransport::~UsbTransport() {
  close();
  if (ctx_) libusb_exit(ctx_);
}

std::string UsbTransport::describe() const {
  if (!handle_) {
    std::string s = "usb:";
    for (std::size_t i = 0; i < ids_.size(); ++i) s += (i ? "," : "") + hex4(ids_[i].vid) + ":" + hex4(ids_[i].pid);
    return s;
  }
  return "usb:" + where_ +
         (framing_->layout().wiring == UsbWiring::sam_four_endpoints ? " (SAM_V four endpoints)"
                                                                     : " (vendor bulk pair)");
}

Error UsbTransport::usb_error(std::string_view op, int rc) {
  std::string code = "reader_io";
  switch (rc) {
    case LIBUSB_ERROR_NO_DEVICE: code = "reader_disconnected"; break;
    case LIBUSB_ERROR_NOT_FOUND: code = "reader_not_found"; break;
    case LIBUSB_ERROR_ACCESS: code = "reader_access_denied"; break;
    case LIBUSB_ERROR_BUSY: code = "reader_busy"; break;
    default: break;
  }
  std::string msg = std::string(op) + ": " + libusb_strerror(rc);
  if (rc == LIBUSB_ERROR_ACCESS) msg += " (install the udev rule or run as a member of the reader's group)";
  return make_error(code, msg);
}

Status UsbTransport::open_device(libusb_device* dev) {
  libusb_config_descriptor* cfg = nullptr;
  if (const int rc = libusb_get_active_config_descriptor(dev, &cfg); rc != 0)
    return usb_error("config descriptor of " + where_, rc);
  std::string classes;
  const std::optional<UsbLayout> layout = choose_usb_layout(*cfg, &classes);
  bool ccid = false, cdc = false;
  for (int k = 0; k < cfg->bNumInterfaces; ++k)
    for (int a = 0; a < cfg->interface[k].num_altsetting; ++a) {
      const uint8_t c = cfg->interface[k].altsetting[a].bInterfaceClass;
      ccid = ccid || c == kClassCcid;
      cdc = cdc || c == kClassCdc || c == kClassCdcData;
    }
  libusb_free_config_descriptor(cfg);
  if (!layout) {
    std::string why = where_ + " has no SAM_V interface (interface classes " + classes + ")";
    if (ccid) why += "; it is a CCID reader, which this driver does not speak";
    if (cdc) why += "; it is a USB-serial device: use --device serial:/dev/ttyACM0";
    return make_error("reader_unsupported", why);
  }
  libusb_device_handle* h = nullptr;
  if (const int rc = libusb_open(dev, &h); rc != 0) return usb_error("open " + where_, rc);
  // Detach whatever kernel driver holds the interface (and give it back on
  // release) where the platform can; otherwise detach by hand.
  if (libusb_set_auto_detach_kernel_driver(h, 1) != LIBUSB_SUCCESS &&
      libusb_kernel_driver_active(h, layout->interface) == 1) {
    if (const int rc = libusb_detach_kernel_driver(h, layout->interface); rc != 0)
      log::warn("idcard", "cannot detach kernel driver", {{"device", where_}, {"error", libusb_strerror(rc)}});
  }
  if (const int rc = libusb_claim_interface(h, layout->interface); rc != 0) {
    libusb_close(h);
    return usb_error("claim interface of " + where_, rc);
  }
  if (layout->altsetting != 0) libusb_set_interface_alt_setting(h, layout->interface, layout->altsetting);
  handle_ = h;
  framing_ = std::make_unique<UsbFraming>(static_cast<UsbLink&>(*this), *layout);
  return {};
}

Status UsbTransport::open() {
  if (handle_) return {};
  if (!ctx_) {
    if (const int rc = libusb_init(&ctx_); rc != 0) {
      ctx_ = nullptr;
      return make_error("reader_not_found", std::string("USB unavailable: libusb_init: ") + libusb_strerror(rc));
    }
  }
  libusb_device** list = nullptr;
  const ssize_t n = libusb_get_device_list(ctx_, &list);
  if (n < 0) return usb_error("list USB devices", static_cast<int>(n));
  std::optional<Error> last;
  for (ssize_t i = 0; i < n && !handle_; ++i) {
    libusb_device* dev = list[i];
    libusb_device_descriptor dd{};
    if (libusb_get_device_descriptor(dev, &dd) != 0) continue;
    bool wanted = false;
    for (const UsbId& id : ids_) wanted = wanted || (id.vid == dd.idVendor && id.pid == dd.idProduct);
    if (!wanted) continue;
    where_ = hex4(dd.idVendor) + ":" + hex4(dd.idProduct) + " bus " + std::to_string(libusb_get_bus_number(dev)) +
             " dev " + std::to_string(libusb_get_device_address(dev));
    if (Status s = open_device(dev); !s) last = s.error();
  }
  libusb_free_device_list(list, 1);
  if (handle_) return {};
  if (last) return *last;
  return make_error("reader_not_found", "no USB ID-card reader found (looked for " + describe().substr(4) + ")");
}

void UsbTransport::close() {
  if (!handle_) return;
  libusb_release_interface(handle_, framing_->layout().interface);  // fails harmlessly when unplugged
  libusb_close(handle_);
  handle_ = nullptr;
}

Status UsbTransport::transfer_out(const UsbEndpoint& ep, std::span<const uint8_t> bytes, Millis timeout) {
  if (!handle_) return make_error("reader_disconnected", "USB reader unplugged");
  int sent = 0;
  auto* p = const_cast<unsigned char*>(bytes.data());
  const int len = static_cast<int>(bytes.size());
  const int rc = ep.interrupt ? libusb_interrupt_transfer(handle_, ep.address, p, len, &sent, timeout_ms(timeout))
                              : libusb_bulk_transfer(handle_, ep.address, p, len, &sent, timeout_ms(timeout));
  if (rc == 0 && sent == len) return {};
  if (rc == LIBUSB_ERROR_PIPE) libusb_clear_halt(handle_, ep.address);  // a stall: clear it, the retry may pass
  if (rc == LIBUSB_ERROR_NO_DEVICE) close();
  if (rc == LIBUSB_ERROR_TIMEOUT || rc == 0) return make_error("reader_not_answering", "USB write timed out");
  return usb_error("USB write", rc);
}

Status UsbTransport::transfer_in(const UsbEndpoint& ep, std::size_t want, std::vector<uint8_t>& out,
                                 Millis timeout) {
  if (!handle_) return make_error("reader_disconnected", "USB reader unplugged");
  // Whole packets, so that a device never overflows the buffer.
  const std::size_t packets = std::clamp<std::size_t>((want + ep.max_packet - 1) / ep.max_packet, 1, 64);
  std::vector<uint8_t> buf(packets * ep.max_packet);
  int got = 0;
  const int len = static_cast<int>(buf.size());
  const int rc = ep.interrupt
                     ? libusb_interrupt_transfer(handle_, ep.address, buf.data(), len, &got, timeout_ms(timeout))
                     : libusb_bulk_transfer(handle_, ep.address, buf.data(), len, &got, timeout_ms(timeout));
  if (got > 0) out.insert(out.end(), buf.begin(), buf.begin() + got);
  if (rc == 0 || rc == LIBUSB_ERROR_TIMEOUT) return {};
  if (rc == LIBUSB_ERROR_PIPE) libusb_clear_halt(handle_, ep.address);
  if (rc == LIBUSB_ERROR_NO_DEVICE) close();
  return usb_error("USB read", rc);
}

Status UsbTransport::send_frame(std::span<const uint8_t> frame, Millis timeout) {
  if (!handle_) return make_error("reader_disconnected", "USB reader is not open");
  return framing_->send_frame(frame, timeout);
}

Status UsbTransport::receive(std::vector<uint8_t>& out, Millis timeout) {
  if (!handle_) return make_error("reader_disconnected", "USB reader is not open");
  return framing_->receive(out, timeout);
}

void UsbTransport::discard_input() {
  if (handle_) framing_->discard_input();
}

}  // namespace bianmin::drivers::idcard
