// bianmin scan page --camera v4l2:/dev/videoN | sim:PATH [--out page.jpg] [--thumb t.jpg]
//                   [--material ID --client-id ID] [--enhance auto|document|colour|bitonal] [--json]
// bianmin scan page --sane DEVICE [--adf [--pages N]] [--dpi 300] [--mode colour|grey]
//                   [--sane-option NAME=VALUE …] and the same output flags: a document scanner
//                   through SANE (docscan/scan_material.h), the same page pipeline and budget
// bianmin scan code --camera … | --scanner evdev:PATH | hidraw:PATH | serial:PATH[@BAUD]
//                   [--timeout SECONDS] [--formats LIST] [--suffix cr|lf|crlf|tab|none|0xNN] [--json]
// bianmin sim camera --scene SPEC --out FILE [--page FILE] [--json]
//
// Exit codes (README): 0 done; 1 usage; 2 refused (a malformed receipt
// code, an application that is no longer queued, a material not of the
// item, a page over the budget); 3 nothing (no code before the timeout, no
// such application); 4 device absent, unplugged or not working, or the
// store unusable.
#include "camera/cli_scan.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "camera/cli_scan_code.h"
#include "camera/cli_scan_exits.h"
#include "camera/cli_scan_page.h"
#include "camera/image.h"
#include "camera/jpeg_codec.h"
#include "camera/sim_scene.h"

namespace bianmin::drivers {
namespace {

using json = nlohmann::json;
using namespace camera;
using namespace scan_cli;

int run_sim_camera(const std::string& scene, const std::string& out, const std::string& page_out, bool as_json) {
  auto o = parse_scene_spec(scene);
  if (!o) return fail_with(o.error(), cli::kUsage);
  auto sc = synthesize_scene(*o);
  if (!sc) return fail_with(sc.error(), kDevice);
  auto jpg = encode_jpeg(sc->frame, 92);
  if (!jpg) return fail_with(jpg.error(), kDevice);
  if (Status st = write_file(out, *jpg); !st) return fail_with(st.error(), cli::kUsage);
  if (!page_out.empty()) {
    auto pj = encode_jpeg(sc->page, 90);
    if (!pj) return fail_with(pj.error(), kDevice);
    if (Status st = write_file(page_out, *pj); !st) return fail_with(st.error(), cli::kUsage);
  }
  json corners = json::array();
  for (const auto& p : sc->corners) corners.push_back({std::round(p.x * 10) / 10, std::round(p.y * 10) / 10});
  json j{{"out", out}, {"width", sc->frame.width}, {"height", sc->frame.height}, {"kind", page_kind_name(o->kind)},
         {"seed", o->seed}, {"rotation_deg", std::round(sc->rotation_deg * 100) / 100}, {"corners", corners},
         {"page_mm", {sc->page_w_mm, sc->page_h_mm}}, {"true_dpi", std::round(sc->px_per_mm * 25.4 * 10) / 10}};
  if (as_json) cli::print_json(j);
  else std::printf("%s\n", out.c_str());
  return kOk;
}

CLI::App* group(CLI::App& app, const std::string& name, const std::string& help) {
  auto found = app.get_subcommands([&](CLI::App* a) { return a->get_name() == name; });
  if (!found.empty()) return found.front();
  auto* g = app.add_subcommand(name, help);
  g->require_subcommand(1);
  return g;
}

constexpr const char* kExitCodes =
    "Exit codes: 0 done, 1 usage, 2 refused (malformed receipt code, application not queued, material not of the\n"
    "item, page over the size budget), 3 nothing (no code before the timeout, no such application),\n"
    "4 camera/scanner absent, unplugged or not working (SANE: busy, jammed, cover open), or the store unusable;\n"
    "scan page --sane: 3 also when the document feeder is empty.";

}  // namespace

void add_scan_commands(CLI::App& app, cli::Runner& r) {
  auto* scan = group(app, "scan", "Scan materials with the document camera or a SANE document scanner; read QR codes and barcodes");
  const std::string cam_help = "v4l2:/dev/videoN (UVC document camera), sim:IMAGE|DIR, or sim:synth:KIND[,seed=N,rot=DEG,…]";

  auto* page = scan->add_subcommand(
      "page",
      "Capture one page with the document camera (find it, straighten, clean up, encode to the size budget), or scan "
      "pages with a flatbed or sheet-fed document scanner through SANE (same clean-up and budget)");
  auto pa = std::make_shared<PageArgs>();
  page->add_option("--camera", pa->camera, cam_help + " (default: devices.camera)");
  page->add_option("--sane", pa->sane,
                   "SANE document scanner (flatbed or ADF), e.g. test:0, genesys:libusb:001:004; `scanimage -L` lists "
                   "them (default when no camera is set: devices.document_scanner, \"sane:DEVICE\")");
  page->add_flag("--adf", pa->adf, "SANE: feed from the automatic document feeder until it is empty (or --pages)");
  page->add_option("--pages", pa->pages, "SANE with --adf: at most this many pages")->check(CLI::Range(1, 1000));
  page->add_option("--dpi", pa->scan_dpi, "SANE: scan resolution (default 300; the output is capped by --max-dpi)")
      ->check(CLI::Range(50, 1200));
  page->add_option("--mode", pa->scan_mode, "SANE: colour (default) or grey");
  page->add_option("--sane-option", pa->sane_options,
                   "SANE: a backend option NAME=VALUE as `scanimage --help -d DEVICE` lists it (repeatable)");
  page->add_option("--out", pa->out, "Write the page image here (several pages: page-1.jpg … or %d in the name)");
  page->add_option("--thumb", pa->thumb, "Write the screen thumbnail (JPEG) here");
  page->add_option("--material", pa->material, "Store the page as the next page of this material of a queued application");
  page->add_option("--client-id", pa->client_id, "The queued application (client_id or receipt number) for --material");
  page->add_option("--enhance", pa->enhance, "auto (default), document (grey), colour, bitonal (lossless PNG)");
  page->add_option("--max-dpi", pa->max_dpi, "Output resolution cap (default 200)")->check(CLI::Range(50, 600));
  page->add_option("--budget-kb", pa->budget_kb, "Size budget per A4 page in kB (default 300)")->check(CLI::Range(20, 10000));
  page->add_option("--desk-width-mm", pa->desk_width_mm, "What the camera covers across the desk (default 500)")
      ->check(CLI::Range(100.0, 2000.0));
  page->add_option("--rotate", pa->rotate, "Extra clockwise rotation: 0, 90, 180, 270")->check(CLI::IsMember({0, 90, 180, 270}));
  page->add_flag("--json", pa->json, "Print one JSON object");
  page->footer(kExitCodes);
  cli::on_run(page, r, [&r, pa] { return run_scan_page(r, *pa); });

  auto* code = scan->add_subcommand("code", "Read one QR code or barcode from the camera or a code scanner");
  auto ca = std::make_shared<CodeArgs>();
  code->add_option("--camera", ca->camera, cam_help);
  code->add_option("--scanner", ca->scanner,
                   "evdev:/dev/input/eventN (keyboard wedge, grabbed), hidraw:/dev/hidrawN (HID POS), "
                   "serial:/dev/ttyACM0[@BAUD] (default 115200)");
  code->add_option("--timeout", ca->timeout, "Seconds to wait for a code (default 30)")->check(CLI::NonNegativeNumber);
  code->add_option("--formats", ca->formats, "Camera: code formats to look for (default QRCode,EAN-13,EAN-8,Code128)");
  code->add_option("--suffix", ca->suffix, "Serial scanners: record suffix cr (default), lf, crlf, tab, none, 0xNN");
  code->add_option("--key-timeout-ms", ca->key_timeout_ms, "Keyboard/serial scanners: a code ends after this gap (default 100)")
      ->check(CLI::Range(5.0, 5000.0));
  code->add_flag("--json", ca->json, "Print one JSON object");
  code->footer(kExitCodes);
  cli::on_run(code, r, [&r, ca] { return run_scan_code(r, *ca); });

  auto* sim = group(app, "sim", "Byte-level device simulators on ptys (tests, simulated kiosk, technicians)");
  auto* sc = sim->add_subcommand("camera", "Write a synthetic document-camera photograph of a page to a file");
  auto scene = std::make_shared<std::string>("form");
  auto out = std::make_shared<std::string>();
  auto page_out = std::make_shared<std::string>();
  auto sj = std::make_shared<bool>(false);
  sc->add_option("--scene", *scene,
                 "KIND[,seed=N][,rot=DEG][,persp=X][,shadow=X][,light=X][,contrast=X][,noise=X][,size=WxH][,qr=TEXT]; "
                 "KIND text|form|idcard|certificate|phone (default form)");
  sc->add_option("--out", *out, "The photograph (JPEG); use it as --camera sim:FILE")->required();
  sc->add_option("--page", *page_out, "Also write the clean page as drawn (JPEG)");
  sc->add_flag("--json", *sj, "Print the scene's truth (corners, rotation, true dpi) as JSON");
  cli::on_run(sc, r, [scene, out, page_out, sj] { return run_sim_camera(*scene, *out, *page_out, *sj); });
}

}  // namespace bianmin::drivers
