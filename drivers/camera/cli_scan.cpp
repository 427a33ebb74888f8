// bianmin scan page --camera v4l2:/dev/videoN | sim:PATH [--out page.jpg] [--thumb t.jpg]
//                   [--material ID --client-id ID] [--enhance auto|document|colour|bitonal] [--json]
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

#include <chrono>
#include <cmath>
#include <cstdio>

#include "base/bytes.h"
#include "camera/camera_source.h"
#include "camera/code_reader.h"
#include "camera/jpeg_codec.h"
#include "camera/material_store.h"
#include "camera/page_pipeline.h"
#include "camera/sim_scene.h"
#include "crypto/suite.h"
#include "domain/code_payload.h"
#include "scanner/code_scanner.h"

namespace bianmin::drivers {
namespace {

using json = nlohmann::json;
using namespace camera;

constexpr int kOk = 0, kRefused = 2, kNothing = 3, kDevice = 4;

int fail_with(const Error& e, int code) {
  std::fprintf(stderr, "bianmin: scan: %s [%s]\n", e.message.c_str(), e.code.c_str());
  return code;
}

int device_exit(const Error& e) {
  if (e.code == "usage") return cli::kUsage;
  if (e.code == "image_invalid") return kRefused;
  return kDevice;
}

struct PageArgs {
  std::string camera, out, thumb, material, client_id, enhance = "auto";
  int max_dpi = 200;
  int budget_kb = 300;
  double desk_width_mm = 500;
  int rotate = 0;
  bool json = false;
};

Result<Frame> grab_still(const std::string& spec_text) {
  BIANMIN_ASSIGN(CameraSpec spec, parse_camera_spec(spec_text));
  CameraOptions co;
  co.preview_fps = 30;
  auto cam = make_camera(spec, co);
  BIANMIN_TRY(cam->open());
  // A few preview frames first: exposure and white balance settle.
  if (Status st = cam->start_preview(); st) {
    for (int i = 0; i < (spec.kind == CameraSpec::Kind::v4l2 ? 5 : 1); ++i) {
      auto f = cam->next_frame(std::chrono::milliseconds(2000));
      if (!f) {
        if (f.error().code == "camera_unplugged") return f.take_error();
        break;
      }
    }
  }
  auto still = cam->capture_still();
  cam->close();
  return still;
}

int run_page(cli::Runner& r, PageArgs a) {
  auto camera = r.device(a.camera, "camera", "--camera");
  if (!camera) return fail_with(camera.error(), cli::kUsage);
  a.camera = *camera;
  if (!a.material.empty() && a.client_id.empty())
    return fail_with(make_error("usage", "--material needs --client-id (or a receipt number)"), cli::kUsage);
  if (a.material.empty() && !a.client_id.empty())
    return fail_with(make_error("usage", "--client-id needs --material"), cli::kUsage);
  PageOptions po;
  auto mode = parse_enhance(a.enhance);
  if (!mode) return fail_with(make_error("usage", "--enhance must be auto, document, colour or bitonal"), cli::kUsage);
  po.mode = *mode;
  po.max_dpi = a.max_dpi;
  po.budget_bytes = static_cast<std::size_t>(a.budget_kb) * 1000;
  po.desk_width_mm = a.desk_width_mm;
  po.rotate_quarters = a.rotate / 90;

  auto still = grab_still(a.camera);
  if (!still) return fail_with(still.error(), device_exit(still.error()));
  auto frame = decode_frame(*still, 3);
  if (!frame) return fail_with(frame.error(), kDevice);
  auto page = process_page(*frame, po);
  if (!page) return fail_with(page.error(), page.error().code == "page_too_large" ? kRefused : kDevice);
  const std::string sha = crypto::sha256_hex(page->bytes);
  if (!a.out.empty())
    if (Status st = write_file(a.out, page->bytes); !st) return fail_with(st.error(), cli::kUsage);
  if (!a.thumb.empty())
    if (Status st = write_file(a.thumb, page->thumbnail); !st) return fail_with(st.error(), cli::kUsage);

  json j{{"sha256", sha},
         {"bytes", page->bytes.size()},
         {"width", page->width},
         {"height", page->height},
         {"dpi", page->dpi},
         {"mime", page->mime},
         {"quality", page->quality},
         {"colour", page->colour},
         {"outline_found", page->outline_found},
         {"paper", page->paper.empty() ? json(nullptr) : json(page->paper)},
         {"width_mm", std::round(page->width_mm * 10) / 10},
         {"height_mm", std::round(page->height_mm * 10) / 10},
         {"budget_bytes", page->budget_bytes},
         {"thumbnail_bytes", page->thumbnail.size()},
         {"camera", a.camera}};
  if (!a.out.empty()) j["out"] = a.out;
  if (!a.material.empty()) {
    auto st = r.store();
    if (!st) return cli::fail(st.error());
    auto added = add_material_page(**st, a.client_id, a.material, page->bytes, page->mime);
    if (!added) {
      const auto& c = added.error().code;
      return fail_with(added.error(), c == "not_found" ? kNothing
                                      : (c == "not_queued" || c == "input_invalid") ? kRefused
                                                                                    : cli::Runner::exit_for(added.error()));
    }
    j["material"] = {{"client_id", a.client_id}, {"material_id", a.material}, {"seq", added->seq}, {"stored", true}};
  }
  if (a.json) {
    cli::print_json(j);
  } else {
    std::printf("page: %dx%d px, %d dpi%s, %s %zu bytes (budget %zu)%s\nsha256: %s\n", page->width, page->height,
                page->dpi, page->paper.empty() ? "" : (", " + page->paper).c_str(), page->mime.c_str(),
                page->bytes.size(), page->budget_bytes, page->outline_found ? "" : ", no page edge found: whole frame kept",
                sha.c_str());
    if (j.contains("material"))
      std::printf("stored as page %lld of material %s\n", static_cast<long long>(j["material"]["seq"].get<int64_t>()),
                  a.material.c_str());
  }
  return kOk;
}

struct CodeArgs {
  std::string camera, scanner, formats = "QRCode,EAN-13,EAN-8,Code128", suffix = "cr";
  double timeout = 30;
  double key_timeout_ms = 100;
  bool json = false;
};

struct Found {
  std::string format, bytes, aim, source;
  bool truncated = false;
};

Result<std::optional<Found>> code_from_camera(const CodeArgs& a) {
  BIANMIN_ASSIGN(CameraSpec spec, parse_camera_spec(a.camera));
  CodeReaderOptions ro;
  ro.formats = a.formats;
  BIANMIN_ASSIGN(CodeReader reader, CodeReader::create(ro));
  CameraOptions co;
  co.preview_fps = 15;
  auto cam = make_camera(spec, co);
  BIANMIN_TRY(cam->open());
  BIANMIN_TRY(cam->start_preview());
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::milliseconds(static_cast<int64_t>(a.timeout * 1000));
  auto next_still = start + std::chrono::milliseconds(1500);
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return std::optional<Found>();
    Image im;
    if (now >= next_still) {
      // The preview may be too coarse for a small code: look at a still.
      next_still = now + std::chrono::seconds(5);
      BIANMIN_ASSIGN(Frame f, cam->capture_still());
      BIANMIN_ASSIGN(im, decode_frame(f, 1));
    } else {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
      auto f = cam->next_frame(std::min(left, std::chrono::milliseconds(1000)));
      if (!f) {
        if (f.error().code == "camera_timeout") continue;
        return f.take_error();
      }
      BIANMIN_ASSIGN(im, decode_frame(*f, 1));
    }
    auto codes = reader.read(im);
    if (!codes.empty()) {
      cam->close();
      Found out;
      out.format = codes[0].format;
      out.bytes = codes[0].text;
      out.source = "camera";
      return std::optional<Found>(std::move(out));
    }
  }
}

Result<std::optional<Found>> code_from_scanner(const CodeArgs& a) {
  BIANMIN_ASSIGN(scanner::ScannerSpec spec, scanner::parse_scanner_spec(a.scanner));
  scanner::ScannerOptions so;
  BIANMIN_ASSIGN(so.suffix, scanner::Suffix::parse(a.suffix));
  so.keys.inter_key_timeout_us = static_cast<int64_t>(a.key_timeout_ms * 1000);
  so.inter_byte_timeout_us = so.keys.inter_key_timeout_us;
  auto sc = scanner::make_scanner(spec, so);
  BIANMIN_TRY(sc->open());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(a.timeout * 1000));
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::optional<Found>();
    BIANMIN_ASSIGN(auto code, sc->next(left));
    if (!code) return std::optional<Found>();
    if (code->bytes.empty()) continue;
    Found out;
    out.format = code->format;
    out.bytes = std::move(code->bytes);
    out.aim = code->aim;
    out.truncated = code->truncated;
    out.source = "scanner";
    sc->close();
    return std::optional<Found>(std::move(out));
  }
}

int run_code(cli::Runner& r, CodeArgs a) {
  if (!a.camera.empty() && !a.scanner.empty())
    return fail_with(make_error("usage", "give one of --camera and --scanner, not both"), cli::kUsage);
  auto cfg = r.config();
  if (!cfg) return cli::fail(cfg.error());
  if (a.camera.empty() && a.scanner.empty()) {
    // The terminal's code scanner, else its camera, as configured.
    a.scanner = (*cfg)->str("devices.scanner");
    if (a.scanner.empty()) a.camera = (*cfg)->str("devices.camera");
    if (a.camera.empty() && a.scanner.empty())
      return fail_with(make_error("usage", "no scanner: give --scanner or --camera, or set devices.scanner"),
                       cli::kUsage);
  }
  auto pattern = domain::ReceiptUrlPattern::compile(r.enrolled("receipt.query_url"));
  if (!pattern) return fail_with(pattern.error(), cli::kStoreError);
  auto found = a.camera.empty() ? code_from_scanner(a) : code_from_camera(a);
  if (!found) return fail_with(found.error(), device_exit(found.error()));
  if (!*found) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "no code within %g s", a.timeout);
    return fail_with(make_error("no_code", buf), kNothing);
  }
  const Found& f = **found;
  const domain::CodePayload p = domain::parse_code_payload(f.bytes, *pattern);
  json j{{"source", f.source},
         {"device", a.camera.empty() ? a.scanner : a.camera},
         {"format", f.format},
         {"text", p.text},
         {"kind", domain::payload_kind_name(p.kind)},
         {"bytes", p.raw_bytes},
         {"truncated", p.truncated || f.truncated}};
  if (!f.aim.empty()) j["aim"] = domain::sanitize_text(f.aim, 8);
  if (p.receipt) {
    j["receipt_no"] = p.receipt->receipt_no;
    j["token"] = p.receipt->token;
  }
  if (p.kind == domain::PayloadKind::rejected) j["error"] = p.reject_reason;
  if (a.json) {
    cli::print_json(j);
  } else {
    std::printf("format: %s\ntext: %s\n", f.format.c_str(), p.text.c_str());
    if (p.receipt) std::printf("receipt_no: %s\n", p.receipt->receipt_no.c_str());
    if (p.kind == domain::PayloadKind::rejected) std::printf("rejected: %s\n", p.reject_reason.c_str());
  }
  return p.kind == domain::PayloadKind::rejected ? kRefused : kOk;
}

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
    "4 camera/scanner absent, unplugged or not working, or the store unusable.";

}  // namespace

void add_scan_commands(CLI::App& app, cli::Runner& r) {
  auto* scan = group(app, "scan", "Scan materials with the document camera; read QR codes and barcodes");
  const std::string cam_help = "v4l2:/dev/videoN (UVC document camera), sim:IMAGE|DIR, or sim:synth:KIND[,seed=N,rot=DEG,…]";

  auto* page = scan->add_subcommand("page", "Capture one page: find it, straighten, clean up, encode to the size budget");
  auto pa = std::make_shared<PageArgs>();
  page->add_option("--camera", pa->camera, cam_help + " (default: devices.camera)");
  page->add_option("--out", pa->out, "Write the page image here");
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
  cli::on_run(page, r, [&r, pa] { return run_page(r, *pa); });

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
  cli::on_run(code, r, [&r, ca] { return run_code(r, *ca); });

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
