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

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "camera/camera_source.h"
#include "camera/code_reader.h"
#include "camera/jpeg_codec.h"
#include "camera/material_store.h"
#include "camera/page_pipeline.h"
#include "camera/sim_scene.h"
#include "crypto/suite.h"
#include "docscan/scan_material.h"
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
  // A document scanner (SANE) instead of the camera; 0 / "" = not given.
  std::string sane, scan_mode;
  std::vector<std::string> sane_options;
  bool adf = false;
  int pages = 0, scan_dpi = 0;
};

// The fields of a finished page both devices report (camera::Page and
// docscan::MaterialPage name them alike).
template <class P>
json page_json(const P& page, const std::string& sha) {
  return json{{"sha256", sha},
              {"bytes", page.bytes.size()},
              {"width", page.width},
              {"height", page.height},
              {"dpi", page.dpi},
              {"mime", page.mime},
              {"quality", page.quality},
              {"colour", page.colour},
              {"paper", page.paper.empty() ? json(nullptr) : json(page.paper)},
              {"width_mm", std::round(page.width_mm * 10) / 10},
              {"height_mm", std::round(page.height_mm * 10) / 10},
              {"budget_bytes", page.budget_bytes},
              {"thumbnail_bytes", page.thumbnail.size()}};
}

template <class P>
void print_page(const P& page, const std::string& sha, const char* note) {
  std::printf("page: %dx%d px, %d dpi%s, %s %zu bytes (budget %zu)%s\nsha256: %s\n", page.width, page.height, page.dpi,
              page.paper.empty() ? "" : (", " + page.paper).c_str(), page.mime.c_str(), page.bytes.size(),
              page.budget_bytes, note, sha.c_str());
}

// Writes the page and its thumbnail where asked; 0 or the exit code.
int write_outputs(const std::string& out, const std::string& thumb, const std::string& bytes, const std::string& thumbnail) {
  if (!out.empty())
    if (Status st = write_file(out, bytes); !st) return fail_with(st.error(), cli::kUsage);
  if (!thumb.empty())
    if (Status st = write_file(thumb, thumbnail); !st) return fail_with(st.error(), cli::kUsage);
  return kOk;
}

// Appends the page to the material of --client-id and records it in `j`;
// 0 or the exit code.
int store_page(cli::Runner& r, const PageArgs& a, const std::string& bytes, const std::string& mime, json& j) {
  auto st = r.store();
  if (!st) return cli::fail(st.error());
  auto added = add_material_page(**st, a.client_id, a.material, bytes, mime);
  if (!added) {
    const auto& c = added.error().code;
    return fail_with(added.error(), c == "not_found" ? kNothing
                                    : (c == "not_queued" || c == "input_invalid") ? kRefused
                                                                                  : cli::Runner::exit_for(added.error()));
  }
  j["material"] = {{"client_id", a.client_id}, {"material_id", a.material}, {"seq", added->seq}, {"stored", true}};
  return kOk;
}

// page.jpg → page.jpg for one page; page-2.jpg (or %d replaced) for several.
std::string numbered(const std::string& path, int n, bool several) {
  if (path.empty() || !several) return path;
  const std::string num = std::to_string(n);
  if (auto at = path.find("%d"); at != std::string::npos) return path.substr(0, at) + num + path.substr(at + 2);
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "-" + num;
  return path.substr(0, dot) + "-" + num + path.substr(dot);
}

int scanner_exit(const Error& e) {
  if (e.code == "usage") return cli::kUsage;
  if (e.code == "page_too_large" || e.code == "image_invalid") return kRefused;
  if (e.code == "scanner_no_docs") return kNothing;
  return kDevice;
}

Result<docscan::ScanRequest> scan_request(const PageArgs& a, const PageOptions& po) {
  docscan::ScanRequest req;
  req.device = a.sane;
  req.page = po;
  req.scan.source = a.adf ? docscan::ScanSource::adf : docscan::ScanSource::flatbed;
  req.max_pages = a.pages;
  if (a.scan_dpi) req.scan.dpi = a.scan_dpi;
  if (a.scan_mode == "grey" || a.scan_mode == "gray") req.scan.mode = docscan::ScanMode::grey;
  else if (!a.scan_mode.empty() && a.scan_mode != "colour" && a.scan_mode != "color")
    return make_error("usage", "--mode must be colour or grey");
  for (const auto& o : a.sane_options) {
    const auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0) return make_error("usage", "--sane-option wants NAME=VALUE, not " + o);
    req.scan.backend_options.emplace_back(o.substr(0, eq), o.substr(eq + 1));
  }
  return req;
}

int run_sane_pages(cli::Runner& r, PageArgs a, const PageOptions& po) {
  if (a.pages && !a.adf) return fail_with(make_error("usage", "--pages needs --adf (a flatbed scans one page)"), cli::kUsage);
  auto device = docscan::parse_document_scanner(a.sane);  // "sane:test:0" from [devices] → "test:0"
  if (!device) return fail_with(device.error(), cli::kUsage);
  a.sane = *device;
  auto req = scan_request(a, po);
  if (!req) return fail_with(req.error(), cli::kUsage);
  auto done = docscan::scan_material(*req);
  if (!done) return fail_with(done.error(), scanner_exit(done.error()));
  const bool several = a.adf;
  json pages = json::array();
  int n = 0;
  for (const auto& page : done->pages) {
    ++n;
    const std::string sha = crypto::sha256_hex(page.bytes);
    const std::string out = numbered(a.out, n, several);
    if (int rc = write_outputs(out, numbered(a.thumb, n, several), page.bytes, page.thumbnail)) return rc;
    json j = page_json(page, sha);
    j["outline_found"] = false;  // a scan is flat: nothing was searched
    j["scanner"] = a.sane;
    if (!out.empty()) j["out"] = out;
    if (!a.material.empty())
      if (int rc = store_page(r, a, page.bytes, page.mime, j)) return rc;
    if (!a.json) {
      if (several) std::printf("page %d of %d:\n", n, done->page_count());
      print_page(page, sha, "");
      if (j.contains("material"))
        std::printf("stored as page %lld of material %s\n", static_cast<long long>(j["material"]["seq"].get<int64_t>()),
                    a.material.c_str());
    }
    pages.push_back(std::move(j));
  }
  if (a.json) {
    if (several) {
      json all{{"scanner", a.sane}, {"source", "adf"}, {"page_count", done->page_count()},
               {"feeder_empty", done->feeder_empty}, {"pages", pages}};
      if (done->stopped) all["stopped"] = {{"code", done->stopped->code}, {"message", done->stopped->message}};
      cli::print_json(all);
    } else {
      pages[0]["source"] = "flatbed";
      cli::print_json(pages[0]);
    }
  }
  // Pages before a jam are kept (written, stored); the exit says it stopped.
  if (done->stopped) return fail_with(*done->stopped, scanner_exit(*done->stopped));
  return kOk;
}

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
  if (!a.camera.empty() && !a.sane.empty())
    return fail_with(make_error("usage", "give one of --camera and --sane, not both"), cli::kUsage);
  if (a.camera.empty() && a.sane.empty()) {
    // The terminal's document camera, else its document scanner.
    auto cfg = r.config();
    if (!cfg) return cli::fail(cfg.error());
    a.camera = (*cfg)->str("devices.camera");
    if (a.camera.empty()) a.sane = (*cfg)->str("devices.document_scanner");
    if (a.camera.empty() && a.sane.empty())
      return fail_with(make_error("usage", "no camera or document scanner: give --camera or --sane, or set "
                                           "devices.camera or devices.document_scanner"),
                       cli::kUsage);
  }
  if (a.sane.empty() && (a.adf || a.pages || a.scan_dpi || !a.scan_mode.empty() || !a.sane_options.empty()))
    return fail_with(make_error("usage", "--adf, --pages, --dpi, --mode and --sane-option are for --sane"), cli::kUsage);
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
  if (!a.sane.empty()) return run_sane_pages(r, a, po);

  auto still = grab_still(a.camera);
  if (!still) return fail_with(still.error(), device_exit(still.error()));
  auto frame = decode_frame(*still, 3);
  if (!frame) return fail_with(frame.error(), kDevice);
  auto page = process_page(*frame, po);
  if (!page) return fail_with(page.error(), page.error().code == "page_too_large" ? kRefused : kDevice);
  const std::string sha = crypto::sha256_hex(page->bytes);
  if (int rc = write_outputs(a.out, a.thumb, page->bytes, page->thumbnail)) return rc;

  json j = page_json(*page, sha);
  j["outline_found"] = page->outline_found;
  j["camera"] = a.camera;
  if (!a.out.empty()) j["out"] = a.out;
  if (!a.material.empty())
    if (int rc = store_page(r, a, page->bytes, page->mime, j)) return rc;
  if (a.json) {
    cli::print_json(j);
  } else {
    print_page(*page, sha, page->outline_found ? "" : ", no page edge found: whole frame kept");
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
