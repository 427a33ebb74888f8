#include "idcard/usb_transport.h"

#include <libusb.h>

#include <cstdio>
#include <cstring>

#include "base/log.h"
#include "idcard/protocol.h"

namespace bianmin::drivers::idcard {
namespace {

constexpr uint8_t kClassVendor = 0xFF;
constexpr uint8_t kClassCcid = 0x0B;
constexpr uint8_t kClassCdc = 0x02;
constexpr uint8_t kClassCdcData = 0x0A;

unsigned timeout_ms(Millis t) { return t.count() <= 0 ? 1u : static_cast<unsigned>(std::min<long long>(t.count(), 60000)); }

std::string hex4(uint16_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04x", v);
  return b;
}

struct Candidate {
  int interface = -1;
  int altsetting = 0;
  UsbTransport::Wiring wiring = UsbTransport::Wiring::bulk_pair;
  libusb_endpoint_descriptor out{}, in{}, body_out{}, body_in{};
};

bool is_in(const libusb_endpoint_descriptor& e) { return (e.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) != 0; }
bool is_data(const libusb_endpoint_descriptor& e) {
  const int type = e.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK;
  return type == LIBUSB_TRANSFER_TYPE_BULK || type == LIBUSB_TRANSFER_TYPE_INTERRUPT;
}

// Picks the interface that carries SAM_V frames. Returns the classes seen
// (for the error message) when none does.
std::optional<Candidate> choose_interface(const libusb_config_descriptor* cfg, std::string* seen) {
  std::optional<Candidate> pair;
  for (int i = 0; i < cfg->bNumInterfaces; ++i) {
    const libusb_interface& itf = cfg->interface[i];
    for (int a = 0; a < itf.num_altsetting; ++a) {
      const libusb_interface_descriptor& d = itf.altsetting[a];
      char cls[8];
      std::snprintf(cls, sizeof cls, "%02x ", d.bInterfaceClass);
      *seen += cls;
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
        Candidate c{d.bInterfaceNumber, d.bAlternateSetting, UsbTransport::Wiring::sam_four_endpoints,
                    *e02, *e81, *e06, *e85};
        return c;
      }
      if (!pair && d.bInterfaceClass == kClassVendor && first_in && first_out) {
        Candidate c;
        c.interface = d.bInterfaceNumber;
        c.altsetting = d.bAlternateSetting;
        c.out = *first_out;
        c.in = *first_in;
        pair = c;
      }
    }
  }
  return pair;
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
  return "usb:" + where_ + (wiring_ == Wiring::sam_four_endpoints ? " (SAM_V four endpoints)" : " (vendor bulk pair)");
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

Status UsbTransport::open() {
  if (handle_) return {};
  if (!ctx_) {
    const int rc = libusb_init(&ctx_);
    if (rc != 0) {
      ctx_ = nullptr;
      return make_error("reader_not_found", std::string("libusb_init: ") + libusb_strerror(rc));
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
    const std::string where = hex4(dd.idVendor) + ":" + hex4(dd.idProduct) + " bus " +
                              std::to_string(libusb_get_bus_number(dev)) + " dev " +
                              std::to_string(libusb_get_device_address(dev));
    libusb_config_descriptor* cfg = nullptr;
    if (const int rc = libusb_get_active_config_descriptor(dev, &cfg); rc != 0) {
      last = usb_error("config descriptor of " + where, rc);
      continue;
    }
    std::string seen;
    const std::optional<Candidate> cand = choose_interface(cfg, &seen);
    bool ccid = false, cdc = false;
    for (int k = 0; k < cfg->bNumInterfaces; ++k)
      for (int a = 0; a < cfg->interface[k].num_altsetting; ++a) {
        const uint8_t c = cfg->interface[k].altsetting[a].bInterfaceClass;
        ccid = ccid || c == kClassCcid;
        cdc = cdc || c == kClassCdc || c == kClassCdcData;
      }
    libusb_free_config_descriptor(cfg);
    if (!cand) {
      std::string why = where + " has no SAM_V interface (interface classes " + seen + ")";
      if (ccid) why += "; it is a CCID reader, which this driver does not speak";
      if (cdc) why += "; it is a USB-serial device: use --device serial:/dev/ttyACM0";
      last = make_error("reader_unsupported", why);
      continue;
    }
    libusb_device_handle* h = nullptr;
    if (const int rc = libusb_open(dev, &h); rc != 0) {
      last = usb_error("open " + where, rc);
      continue;
    }
    // Detach whatever kernel driver holds the interface (and give it back on
    // release) where the platform can; otherwise detach by hand.
    if (libusb_set_auto_detach_kernel_driver(h, 1) != LIBUSB_SUCCESS &&
        libusb_kernel_driver_active(h, cand->interface) == 1) {
      if (const int rc = libusb_detach_kernel_driver(h, cand->interface); rc != 0)
        log::warn("idcard", "cannot detach kernel driver", {{"device", where}, {"error", libusb_strerror(rc)}});
    }
    if (const int rc = libusb_claim_interface(h, cand->interface); rc != 0) {
      last = usb_error("claim interface of " + where, rc);
      libusb_close(h);
      continue;
    }
    if (cand->altsetting != 0) libusb_set_interface_alt_setting(h, cand->interface, cand->altsetting);
    auto ep = [](const libusb_endpoint_descriptor& e) {
      Endpoint x;
      x.address = e.bEndpointAddress;
      x.interrupt = (e.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) == LIBUSB_TRANSFER_TYPE_INTERRUPT;
      x.max_packet = e.wMaxPacketSize ? static_cast<uint16_t>(e.wMaxPacketSize & 0x7FF) : 64;
      return x;
    };
    handle_ = h;
    interface_ = cand->interface;
    wiring_ = cand->wiring;
    out_ = ep(cand->out);
    in_ = ep(cand->in);
    body_out_ = body_in_ = Endpoint{};
    if (wiring_ == Wiring::sam_four_endpoints) {
      body_out_ = ep(cand->body_out);
      body_in_ = ep(cand->body_in);
    }
    where_ = where;
    header_.clear();
    body_left_ = 0;
  }
  libusb_free_device_list(list, 1);
  if (handle_) return {};
  if (last) return *last;
  return make_error("reader_not_found", "no USB ID-card reader found (looked for " + describe().substr(4) + ")");
}

void UsbTransport::close() {
  if (!handle_) return;
  libusb_release_interface(handle_, interface_);  // a device already gone just fails here
  libusb_close(handle_);
  handle_ = nullptr;
  interface_ = -1;
}

Status UsbTransport::transfer_out(const Endpoint& ep, std::span<const uint8_t> bytes, Millis timeout) {
  // Whole frames in packets of at most wMaxPacketSize (64 on full speed).
  std::size_t done = 0;
  while (done < bytes.size()) {
    const std::size_t chunk = std::min<std::size_t>(ep.max_packet, bytes.size() - done);
    int sent = 0;
    auto* p = const_cast<unsigned char*>(bytes.data() + done);
    const int rc = ep.interrupt
                       ? libusb_interrupt_transfer(handle_, ep.address, p, static_cast<int>(chunk), &sent, timeout_ms(timeout))
                       : libusb_bulk_transfer(handle_, ep.address, p, static_cast<int>(chunk), &sent, timeout_ms(timeout));
    if (rc == LIBUSB_ERROR_PIPE) libusb_clear_halt(handle_, ep.address);
    if (rc == LIBUSB_ERROR_NO_DEVICE) close();
    if (rc == LIBUSB_ERROR_TIMEOUT && sent == 0) return make_error("reader_not_answering", "USB write timed out");
    if (rc != 0 && rc != LIBUSB_ERROR_TIMEOUT) return usb_error("USB write", rc);
    done += static_cast<std::size_t>(sent);
  }
  return {};
}

Status UsbTransport::transfer_in(const Endpoint& ep, std::size_t want, std::vector<uint8_t>& out, Millis timeout) {
  // Ask for whole packets so that a device never overflows our buffer.
  const std::size_t packets = std::max<std::size_t>(1, (want + ep.max_packet - 1) / ep.max_packet);
  std::vector<uint8_t> buf(std::min<std::size_t>(packets, 64) * ep.max_packet);
  int got = 0;
  const int rc = ep.interrupt ? libusb_interrupt_transfer(handle_, ep.address, buf.data(), static_cast<int>(buf.size()), &got, timeout_ms(timeout))
                              : libusb_bulk_transfer(handle_, ep.address, buf.data(), static_cast<int>(buf.size()), &got, timeout_ms(timeout));
  if (got > 0) out.insert(out.end(), buf.begin(), buf.begin() + got);
  if (rc == 0 || rc == LIBUSB_ERROR_TIMEOUT) return {};
  if (rc == LIBUSB_ERROR_PIPE) libusb_clear_halt(handle_, ep.address);
  if (rc == LIBUSB_ERROR_NO_DEVICE) close();
  return usb_error("USB read", rc);
}

Status UsbTransport::send_frame(std::span<const uint8_t> frame, Millis timeout) {
  if (!handle_) return make_error("reader_disconnected", "USB reader is not open");
  if (wiring_ == Wiring::bulk_pair) return transfer_out(out_, frame, timeout);
  const std::size_t head = std::min(frame.size(), kHeaderSize);
  BIANMIN_TRY(transfer_out(out_, frame.first(head), timeout));
  if (!handle_) return make_error("reader_disconnected", "USB reader unplugged");
  return transfer_out(body_out_, frame.subspan(head), timeout);
}

Status UsbTransport::receive(std::vector<uint8_t>& out, Millis timeout) {
  if (!handle_) return make_error("reader_disconnected", "USB reader is not open");
  if (wiring_ == Wiring::bulk_pair) return transfer_in(in_, 64, out, timeout);
  // Four endpoints: the header arrives on 0x81, then Len bytes on 0x85.
  if (body_left_ == 0) {
    const std::size_t before = out.size();
    BIANMIN_TRY(transfer_in(in_, kHeaderSize - header_.size(), out, timeout));
    header_.insert(header_.end(), out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
    if (header_.size() >= kHeaderSize) {
      const bool framed = std::memcmp(header_.data(), kPreamble, sizeof kPreamble) == 0;
      const std::size_t len = (std::size_t{header_[5]} << 8) | header_[6];
      const std::size_t extra = header_.size() - kHeaderSize;  // body bytes that came with the header
      body_left_ = framed && len > extra ? len - extra : 0;
      header_.clear();
    }
    return {};
  }
  const std::size_t before = out.size();
  BIANMIN_TRY(transfer_in(body_in_, body_left_, out, timeout));
  const std::size_t got = out.size() - before;
  body_left_ = got >= body_left_ ? 0 : body_left_ - got;
  return {};
}

void UsbTransport::discard_input() {
  header_.clear();
  body_left_ = 0;
  if (!handle_) return;
  std::vector<uint8_t> junk;
  for (const Endpoint* ep : {&in_, &body_in_}) {
    if (ep->address == 0) continue;
    for (int i = 0; i < 64 && handle_; ++i) {  // bounded: a chatty device cannot hold us here
      const std::size_t before = junk.size();
      if (!transfer_in(*ep, ep->max_packet, junk, Millis(2)) || junk.size() == before) break;
    }
  }
}

}  // namespace bianmin::drivers::idcard
