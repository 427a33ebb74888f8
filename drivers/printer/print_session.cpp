#include "printer/print_session.h"

#include "base/log.h"

namespace bianmin::drivers::printer {

void ProfileArgs::add_to(CLI::App* cmd, bool with_printer) {
  if (with_printer)
    cmd->add_option("--printer", printer,
                    "usb, usb:VID:PID, dev:/dev/usb/lp0, tcp:HOST:PORT or file:PATH (default: devices.printer)");
  cmd->add_option("--width", width, "Printable width in dots: 384 (58 mm), 576 (80 mm), … (default: printer.width_dots)")
      ->check(CLI::Range(96, 4096));
  cmd->add_option("--font-set", font_set,
                  "The printer's resident font: gb2312, gbk or gb18030-2byte (default: printer.font_set)")
      ->check(CLI::IsMember({"gb2312", "gbk", "gb18030-2byte"}));
  cmd->add_flag("--no-native-qr", no_native_qr,
                "Print QR codes as raster images (printers without GS ( k; or printer.native_qr = false)");
  cmd->add_option("--qr-module", qr_module, "QR module size in dots (default: largest that fits, ≤ 6 on 58 mm, ≤ 8 on 80 mm)")
      ->check(CLI::Range(0, 16));
  cmd->add_option("--cut", cut, "full or partial")->check(CLI::IsMember({"full", "partial"}));
  cmd->add_flag("--json", json, "Print JSON");
}

Status ProfileArgs::resolve(const bianmin::config::Config& cfg, bool with_printer) {
  if (printer.empty()) printer = cfg.str("devices.printer");
  if (with_printer && printer.empty())
    return make_error("usage", "no printer: give --printer or set devices.printer");
  if (width == 0) width = static_cast<int>(cfg.integer("printer.width_dots"));
  if (font_set.empty()) font_set = cfg.str("printer.font_set");
  if (!cfg.boolean("printer.native_qr")) no_native_qr = true;
  return {};
}

Result<Profile> ProfileArgs::profile() const {
  Profile p;
  p.width_dots = width;
  auto fs = parse_font_set(font_set);
  if (!fs) return make_error("input_invalid", "unknown font set " + font_set);
  p.font = *fs;
  p.native_qr = !no_native_qr;
  p.qr_module = qr_module;
  p.cut = cut == "full" ? CutKind::full : CutKind::partial;
  return p;
}

Result<std::unique_ptr<PrintSession>> PrintSession::open(const ProfileArgs& args) {
  auto s = std::make_unique<PrintSession>();
  BIANMIN_ASSIGN(s->profile_, args.profile());
  BIANMIN_ASSIGN(s->glyphs_, GlyphRenderer::open());
  BIANMIN_ASSIGN(PrinterAddress addr, parse_printer_address(args.printer));
  BIANMIN_ASSIGN(s->link_, open_transport(addr));
  return s;
}

Result<std::string> PrintSession::encode(const Document& d) { return encode_document(d, profile_, glyphs_.get()); }

Status PrintSession::print(const std::string& bytes) {
  Status st = print_job(*link_, bytes);
  if (!st) log::warn("printer", "print failed", {{"printer", link_->describe()}, {"error", st.error().code}});
  return st;
}

int print_exit_for(const Error& e) {
  if (e.code == "usage") return 1;
  if (e.code == "printer_absent" || e.code == "io_error" || e.code == "printer_timeout") return kPrinterUnreachable;
  if (e.code.rfind("printer_", 0) == 0) return kPrinterNotReady;
  if (e.code == "input_invalid" || e.code == "qr_invalid") return 2;
  if (e.code == "not_found") return 3;
  return 4;
}

}  // namespace bianmin::drivers::printer
