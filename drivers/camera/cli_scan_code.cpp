#include "camera/cli_scan_code.h"

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "camera/camera_source.h"
#include "camera/cli_scan_exits.h"
#include "camera/code_reader.h"
#include "domain/code_payload.h"
#include "scanner/code_scanner.h"

namespace bianmin::drivers {
namespace {

using json = nlohmann::json;
using namespace camera;
using namespace scan_cli;

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

}  // namespace

int run_scan_code(cli::Runner& r, CodeArgs a) {
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

}  // namespace bianmin::drivers
