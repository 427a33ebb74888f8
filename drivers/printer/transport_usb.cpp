// USB printer class through libusb (devices.md §2.5): interface class 7,
// subclass 1, protocol 1 (bulk OUT only) or 2 (bulk OUT + bulk IN status).
// The kernel's usblp driver owns such interfaces; it is detached for the
// time the interface is claimed (LIBUSB_ERROR_BUSY otherwise) and given
// back on close. LIBUSB_ERROR_NO_DEVICE during a transfer is a hot-unplug.
#include <libusb-1.0/libusb.h>

#include <cstdio>
#include <vector>

#include "base/log.h"
#include "printer/transport.h"

namespace bianmin::drivers::printer {
namespace {

constexpr uint8_t kPrinterClass = 7;

Error usb_error(const std::string& what, int rc) {
  switch (rc) {
    case LIBUSB_ERROR_NO_DEVICE:
      return make_error("printer_absent", what + ": the printer was disconnected");
    case LIBUSB_ERROR_ACCESS:
      return make_error("printer_absent", what + ": permission denied (LIBUSB_ERROR_ACCESS): install the udev rule "
                                                 "or add the user to group lp");
    case LIBUSB_ERROR_BUSY:
      return make_error("printer_absent", what + ": the interface is busy (another program or driver holds it)");
    case LIBUSB_ERROR_TIMEOUT:
      return make_error("printer_timeout", what + ": the printer took no data in time");
    default:
      return make_error("io_error", what + ": " + libusb_strerror(static_cast<libusb_error>(rc)));
  }
}

struct Found {
  libusb_device* dev = nullptr;
  int config_value = 0, config_index = 0;
  int interface = -1, alt = 0, protocol = 0;
  uint8_t ep_out = 0, ep_in = 0;
  uint16_t vid = 0, pid = 0;
};

// The printer-class interface of `dev` (protocol 2 preferred), if any.
bool find_interface(libusb_device* dev, Found& f) {
  libusb_device_descriptor dd{};
  if (libusb_get_device_descriptor(dev, &dd) != 0) return false;
  for (uint8_t ci = 0; ci < dd.bNumConfigurations; ++ci) {
    libusb_config_descriptor* cfg = nullptr;
    if (libusb_get_config_descriptor(dev, ci, &cfg) != 0) continue;
    for (int i = 0; i < cfg->bNumInterfaces; ++i) {
      const libusb_interface& itf = cfg->interface[i];
      for (int a = 0; a < itf.num_altsetting; ++a) {
        const libusb_interface_descriptor& d = itf.altsetting[a];
        if (d.bInterfaceClass != kPrinterClass || d.bInterfaceSubClass != 1) continue;
        if (f.interface >= 0 && d.bInterfaceProtocol <= f.protocol) continue;
        uint8_t out = 0, in = 0;
        for (int e = 0; e < d.bNumEndpoints; ++e) {
          const libusb_endpoint_descriptor& ep = d.endpoint[e];
          if ((ep.bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK) continue;
          if (ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) in = in ? in : ep.bEndpointAddress;
          else out = out ? out : ep.bEndpointAddress;
        }
        if (!out) continue;
        f.dev = dev;
        f.config_value = cfg->bConfigurationValue;
        f.config_index = ci;
        f.interface = d.bInterfaceNumber;
        f.alt = d.bAlternateSetting;
        f.protocol = d.bInterfaceProtocol;
        f.ep_out = out;
        f.ep_in = d.bInterfaceProtocol == 2 ? in : 0;
        f.vid = dd.idVendor;
        f.pid = dd.idProduct;
      }
    }
    libusb_free_config_descriptor(cfg);
  }
  return f.interface >= 0;
}

class UsbTransport : public Transport {
 public:
  UsbTransport(libusb_context* ctx, libusb_device_handle* h, Found f, bool reattach, int timeout_ms)
      : ctx_(ctx), h_(h), f_(f), reattach_(reattach), timeout_ms_(timeout_ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "usb:%04x:%04x", f.vid, f.pid);
    what_ = buf;
  }
  ~UsbTransport() override {
    libusb_release_interface(h_, f_.interface);
    if (reattach_) libusb_attach_kernel_driver(h_, f_.interface);
    libusb_close(h_);
    libusb_exit(ctx_);
  }

  Status write(std::string_view bytes) override {
    std::size_t off = 0;
    while (off < bytes.size()) {
      const int chunk = static_cast<int>(std::min<std::size_t>(bytes.size() - off, 4096));
      int sent = 0;
      const int rc = libusb_bulk_transfer(h_, f_.ep_out,
                                          reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data() + off)),
                                          chunk, &sent, static_cast<unsigned>(timeout_ms_));
      off += static_cast<std::size_t>(sent);
      if (rc == LIBUSB_ERROR_TIMEOUT && sent > 0) continue;
      if (rc != 0) return usb_error(what_, rc);
    }
    return {};
  }

  Result<std::string> read(std::size_t max, int timeout_ms) override {
    if (!f_.ep_in) return std::string();
    std::string buf(std::max<std::size_t>(max, 512), '\0');  // whole high-speed packets
    int got = 0;
    const int rc = libusb_bulk_transfer(h_, f_.ep_in, reinterpret_cast<unsigned char*>(buf.data()),
                                        static_cast<int>(buf.size()), &got, static_cast<unsigned>(timeout_ms));
    if (rc == LIBUSB_ERROR_TIMEOUT) return std::string();
    if (rc != 0) return usb_error(what_, rc);
    buf.resize(std::min(static_cast<std::size_t>(got), max));
    return buf;
  }

  bool two_way() const override { return f_.ep_in != 0; }

  std::optional<uint8_t> port_status() override {
    unsigned char b = 0;
    // GET_PORT_STATUS: class | IN | interface, bRequest 1.
    const int rc = libusb_control_transfer(h_, 0xA1, 1, 0, static_cast<uint16_t>(f_.interface), &b, 1, 1000);
    if (rc != 1) return std::nullopt;
    return b;
  }

  std::optional<DeviceId> device_id() override {
    unsigned char buf[1024] = {};
    // GET_DEVICE_ID: wValue = configuration index, wIndex = interface << 8 | alt.
    const int rc = libusb_control_transfer(h_, 0xA1, 0, static_cast<uint16_t>(f_.config_index),
                                           static_cast<uint16_t>(f_.interface << 8 | f_.alt), buf, sizeof buf, 1000);
    if (rc < 2) return std::nullopt;
    auto id = parse_device_id(std::string_view(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(rc)));
    if (!id) return std::nullopt;
    return *id;
  }

  std::string describe() const override { return what_; }

 private:
  libusb_context* ctx_;
  libusb_device_handle* h_;
  Found f_;
  bool reattach_;
  int timeout_ms_;
  std::string what_;
};

}  // namespace

Result<std::unique_ptr<Transport>> open_usb_transport(const PrinterAddress& a, int timeout_ms) {
  libusb_context* ctx = nullptr;
  if (int rc = libusb_init(&ctx); rc != 0) return usb_error("usb", rc);
  libusb_device** list = nullptr;
  const ssize_t n = libusb_get_device_list(ctx, &list);
  Found found;
  for (ssize_t i = 0; i < n; ++i) {
    libusb_device_descriptor dd{};
    if (libusb_get_device_descriptor(list[i], &dd) != 0) continue;
    if ((a.vid || a.pid) && (dd.idVendor != a.vid || dd.idProduct != a.pid)) continue;
    Found f;
    if (find_interface(list[i], f)) {
      found = f;
      libusb_ref_device(found.dev);
      break;
    }
  }
  if (n >= 0) libusb_free_device_list(list, 1);
  if (!found.dev) {
    libusb_exit(ctx);
    return make_error("printer_absent", describe(a) + ": no USB printer-class device found");
  }
  libusb_device_handle* h = nullptr;
  int rc = libusb_open(found.dev, &h);
  libusb_unref_device(found.dev);
  if (rc != 0) {
    libusb_exit(ctx);
    return usb_error(describe(a), rc);
  }
  bool reattach = false;
  if (libusb_kernel_driver_active(h, found.interface) == 1) {
    rc = libusb_detach_kernel_driver(h, found.interface);
    if (rc != 0) {
      libusb_close(h);
      libusb_exit(ctx);
      return usb_error(describe(a) + " (detaching usblp)", rc);
    }
    reattach = true;
    log::info("printer", "detached the kernel driver from the printer interface", {{"interface", found.interface}});
  }
  rc = libusb_claim_interface(h, found.interface);
  if (rc == 0 && found.alt != 0) rc = libusb_set_interface_alt_setting(h, found.interface, found.alt);
  if (rc != 0) {
    if (reattach) libusb_attach_kernel_driver(h, found.interface);
    libusb_close(h);
    libusb_exit(ctx);
    return usb_error(describe(a), rc);
  }
  return std::unique_ptr<Transport>(new UsbTransport(ctx, h, found, reattach, timeout_ms));
}

}  // namespace bianmin::drivers::printer
