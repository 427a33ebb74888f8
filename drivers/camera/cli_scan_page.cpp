#include "camera/cli_scan_page.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "camera/camera_source.h"
#include "camera/cli_scan_exits.h"
#include "camera/image.h"
#include "camera/material_store.h"
#include "camera/page_pipeline.h"
#include "crypto/suite.h"
#include "docscan/scan_material.h"

namespace bianmin::drivers {
namespace {

using json = nlohmann::json;
using namespace camera;
using namespace scan_cli;

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

}  // namespace

int run_scan_page(cli::Runner& r, PageArgs a) {
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

}  // namespace bianmin::drivers
