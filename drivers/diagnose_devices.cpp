#include "diagnose_devices.h"

#include <cstdio>

#include "camera/camera_source.h"
#include "camera/frame_quality.h"
#include "docscan/sane_scanner.h"
#include "docscan/scan_material.h"
#include "domain/device_health.h"
#include "idcard/reader_probe.h"
#include "printer/printer.h"
#include "scanner/code_scanner.h"

namespace bianmin::drivers {
namespace {

using namespace diagnose;
// The report's verdict makers, not the command line's fail(Error).
using diagnose::fail;
using diagnose::ok;
using diagnose::warn;
using namespace std::chrono_literals;
using domain::Device;

// A document camera's preview frame in this light range shows print a
// resident can read; outside it the exposure or the lamp is wrong.
constexpr double kTooDark = 50, kTooBright = 235;
// Below this Laplacian variance (on a frame of at most 640 px across) the
// picture has no sharp edges left: a smudged lens or a camera out of focus.
constexpr double kBlurred = 30;
constexpr int kMeasureWidth = 640;

std::string fmt1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The address the configuration names for a device, or empty.
std::string configured(cli::Runner& r, const char* kind) {
  auto cfg = r.config();
  return cfg ? (*cfg)->str(std::string("devices.") + kind) : std::string();
}

Finding not_configured(const char* kind) {
  return warn("not configured",
              std::string("not configured: set devices.") + kind + " in /etc/bianmin/bianmin.toml (or in service mode)");
}

// A driver's error code for a device another process holds open.
bool is_busy(const Error& e) { return e.code.ends_with("_busy"); }

// The running kiosk holds the device: opening it here would fail or steal
// its answers, so the health the kiosk records (domain/device_health.h) is
// the best there is.
Finding as_the_kiosk_records(cli::Runner& r, Device d, const Error& why) {
  std::string state;
  if (auto s = r.store(); s)
    if (auto v = (*s)->setting(domain::health_setting_key(d)); v && *v) state = **v;
  const std::string figure = "in use by the running kiosk (" + why.message + "); the kiosk records it as " +
                             (state.empty() ? std::string("nothing yet") : "\"" + state + "\"");
  if (state == "ok") return ok(figure);
  if (state == "paper_low") return warn(figure, "load a new roll soon");
  if (state.empty())
    return warn(figure, "test the device from service mode, or stop the kiosk and run diagnose again");
  if (state == "paper_out") return fail(figure, "load a new paper roll and close the cover");
  return fail(figure, "check the device's cable and power, then test it from service mode");
}

Finding check_id_reader(cli::Runner& r) {
  const std::string addr = configured(r, "idcard");
  if (addr.empty()) return not_configured("idcard");
  // A status exchange takes milliseconds; a reader that is there answers
  // well within these, one that is not costs at most a second or two.
  idcard::SamReaderOptions o;
  o.timeouts.status = o.timeouts.sam_id = o.timeouts.find = 300ms;
  o.retries = 1;
  const idcard::ReaderProbe p = idcard::probe_reader(addr, o);
  if (p.error && is_busy(*p.error)) return as_the_kiosk_records(r, Device::id_reader, *p.error);
  if (p.reader == "ready")
    return ok(p.transport + ", SAM status success, SAM " + p.sam_id.value_or("?") +
              (p.card_present.value_or(false) ? ", a card is on the reader" : ""));
  const std::string why = p.error ? p.error->message : p.reader;
  if (p.reader == "absent")
    return fail("no reader at " + addr + ": " + why,
                "check the reader's USB cable and that devices.idcard names it (`bianmin idcard status`)");
  if (p.reader == "not_answering")
    return fail(p.transport + " does not answer: " + why,
                "unplug the reader and plug it in again; check the baud rate in devices.idcard");
  return fail(p.transport + ": SAM status " + p.sam_status.value_or("?") + ": " + why,
              "the reader's security module (SAM) is faulty: replace the reader and report its SAM ID");
}

const char* printer_advice(printer::PrinterState s) {
  using printer::PrinterState;
  switch (s) {
    case PrinterState::paper_low: return "load a new roll soon";
    case PrinterState::paper_out: return "the printer is out of paper: load a new paper roll and close the cover";
    case PrinterState::cover_open: return "close the printer's cover until it clicks";
    case PrinterState::offline:
      return "the printer is offline: check that it is switched on; if a roll is loaded, press its FEED button";
    case PrinterState::error:
      return "clear jammed paper from the cutter, close the cover, switch the printer off and on again";
    case PrinterState::absent:
      return "check the printer's power and cable and that devices.printer names it (`bianmin print status`)";
    case PrinterState::ok: break;
  }
  return "";
}

Finding check_printer(cli::Runner& r) {
  const std::string addr = configured(r, "printer");
  if (addr.empty()) return not_configured("printer");
  auto parsed = printer::parse_printer_address(addr);
  if (!parsed) return fail("devices.printer is malformed: " + parsed.error().message, printer_advice(printer::PrinterState::absent));
  const printer::StatusReport rep = printer::look_at(*parsed, 1500, 400);
  std::string figure = rep.link + ": " + printer::state_key(rep.status.state);
  if (rep.status.state == printer::PrinterState::ok && !rep.status.two_way)
    figure += " (a one-way link: paper state unknown)";
  if (rep.status.state == printer::PrinterState::ok) return ok(figure);
  if (rep.status.state == printer::PrinterState::paper_low) return warn(figure, printer_advice(rep.status.state));
  return fail(figure, printer_advice(rep.status.state));
}

Finding camera_failed(const Error& e) {
  return fail(e.message, "check the camera's USB cable (a blue USB 3 port where there is one) and that "
                         "devices.camera names it (`bianmin scan page`)");
}

Finding check_camera(cli::Runner& r) {
  const std::string addr = configured(r, "camera");
  if (addr.empty()) return not_configured("camera");
  auto spec = camera::parse_camera_spec(addr);
  if (!spec) return camera_failed(spec.error());
  camera::CameraOptions co;
  co.preview_width = 640;
  co.preview_height = 480;
  auto cam = camera::make_camera(*spec, co);
  if (Status st = cam->open(); !st)
    return is_busy(st.error()) ? as_the_kiosk_records(r, Device::camera, st.error()) : camera_failed(st.error());
  Status started = cam->start_preview();
  Result<camera::Frame> frame = started ? cam->next_frame(2000ms) : Result<camera::Frame>(started.error());
  cam->close();
  if (!frame) return camera_failed(frame.error());
  auto grey = camera::decode_frame(*frame, 1);
  if (!grey) return fail("the camera's frame does not decode: " + grey.error().message,
                         "unplug the camera and plug it in again; replace it if this stays");
  camera::Image measured = std::move(*grey);
  if (measured.width > kMeasureWidth)
    measured = camera::resize(measured, kMeasureWidth, measured.height * kMeasureWidth / measured.width);
  const camera::FrameQuality q = camera::measure_frame(measured);
  const std::string figure = cam->describe() + ": " + camera::pixel_format_name(frame->format) + " " +
                             std::to_string(frame->width) + "x" + std::to_string(frame->height) +
                             ", brightness " + fmt1(q.brightness) + "/255, focus " + fmt1(q.focus);
  if (q.brightness < kTooDark)
    return warn(figure + " (too dark)", "switch on the camera's lamp and check that nothing covers the lens");
  if (q.brightness > kTooBright)
    return warn(figure + " (too bright)", "turn the camera's lamp down or shade the desk from direct light");
  if (q.focus < kBlurred)
    return warn(figure + " (blurred)", "clean the lens and put a page under the camera; set its focus if it has a ring");
  return ok(figure);
}

Finding check_scanner(cli::Runner& r) {
  const std::string addr = configured(r, "scanner");
  if (addr.empty()) return not_configured("scanner");
  auto spec = scanner::parse_scanner_spec(addr);
  const char* advice = "check the scanner's USB cable and that devices.scanner names it (`bianmin scan code`)";
  if (!spec) return fail("devices.scanner is malformed: " + spec.error().message, advice);
  auto sc = scanner::make_scanner(*spec, scanner::ScannerOptions{});
  if (Status st = sc->open(); !st)
    return is_busy(st.error()) ? as_the_kiosk_records(r, Device::scanner, st.error()) : fail(st.error().message, advice);
  const std::string figure = sc->describe() + " opens";
  sc->close();
  return ok(figure);
}

// The counter's document scanner: opened through SANE (no page is
// scanned). Optional: a kiosk has none, so "none fitted" is no warning.
Finding check_document_scanner(cli::Runner& r) {
  const std::string addr = configured(r, "document_scanner");
  if (addr.empty()) return ok("none fitted (materials come from the document camera)");
  const char* advice = "check the scanner's power and USB cable, and that devices.document_scanner names it as "
                       "`scanimage -L` lists it (`bianmin scan page --sane DEVICE`)";
  auto device = docscan::parse_document_scanner(addr);
  if (!device) return fail("devices.document_scanner is malformed: " + device.error().message, advice);
  auto sc = docscan::SaneScanner::open(*device);
  if (!sc) {
    if (is_busy(sc.error())) return warn(sc.error().message, "the counter is scanning with it; run diagnose again later");
    return fail(sc.error().message, advice);
  }
  return ok("SANE " + *device + " opens");
}

Check device_check(std::string id, std::string title, std::chrono::milliseconds timeout,
                   Finding (*fn)(cli::Runner&), cli::Runner& r) {
  return Check{std::move(id), std::move(title), Stage::devices, timeout, [fn, &r] { return fn(r); }, nullptr};
}

}  // namespace

void add_device_checks(Checklist& list, cli::Runner& r) {
  list.add(device_check("device.id_reader", "ID-card reader", 5s, check_id_reader, r));
  list.add(device_check("device.printer", "Receipt printer", 5s, check_printer, r));
  list.add(device_check("device.camera", "Document camera", 5s, check_camera, r));
  list.add(device_check("device.scanner", "Code scanner", 3s, check_scanner, r));
  // SANE discovers USB and network scanners when it starts: a few seconds.
  list.add(device_check("device.document_scanner", "Document scanner", 10s, check_document_scanner, r));
}

}  // namespace bianmin::drivers
