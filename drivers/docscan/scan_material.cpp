#include "docscan/scan_material.h"

#include <chrono>

namespace bianmin::drivers::docscan {

// Makes the scanner reachable from ScanCancel::cancel while it is open; a
// cancel that came before the scanner opened reaches it at once.
class ActiveScan {
 public:
  ActiveScan(ScanCancel* c, SaneScanner& s) : c_(c) {
    if (!c_) return;
    std::lock_guard lock(c_->m_);
    c_->active_ = &s;
    if (c_->requested_) s.cancel();
  }
  ~ActiveScan() {
    if (!c_) return;
    std::lock_guard lock(c_->m_);
    c_->active_ = nullptr;
  }
  ActiveScan(const ActiveScan&) = delete;
  ActiveScan& operator=(const ActiveScan&) = delete;

 private:
  ScanCancel* c_;
};

void ScanCancel::cancel() {
  std::lock_guard lock(m_);
  requested_ = true;
  if (active_) active_->cancel();
}

bool ScanCancel::requested() const {
  std::lock_guard lock(m_);
  return requested_;
}

Result<std::string> parse_document_scanner(std::string_view text) {
  constexpr std::string_view kPrefix = "sane:";
  if (text.substr(0, kPrefix.size()) == kPrefix) text.remove_prefix(kPrefix.size());
  if (text.empty()) return make_error("usage", "no document scanner: give a SANE device name, e.g. sane:test:0");
  // Other transports would come with their own prefix; a camera spec here
  // is a mistake worth naming.
  if (text.substr(0, 5) == "v4l2:" || text.substr(0, 4) == "sim:")
    return make_error("usage", "\"" + std::string(text) + "\" is a camera; a document scanner is sane:DEVICE");
  return std::string(text);
}

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

MaterialPage material_page(camera::Page&& p) {
  MaterialPage m;
  m.bytes = std::move(p.bytes);
  m.mime = std::move(p.mime);
  m.thumbnail = std::move(p.thumbnail);
  m.width = p.width;
  m.height = p.height;
  m.dpi = p.dpi;
  m.quality = p.quality;
  m.colour = p.colour;
  m.paper = std::move(p.paper);
  m.width_mm = p.width_mm;
  m.height_mm = p.height_mm;
  m.budget_bytes = p.budget_bytes;
  return m;
}

}  // namespace

Result<ScannedMaterial> scan_material(const ScanRequest& req, ScanCancel* cancel, const PageCallback& on_page) {
  BIANMIN_ASSIGN(const std::string device, parse_document_scanner(req.device));
  if (req.max_pages < 0) return make_error("usage", "max_pages must be 0 (all) or more");
  BIANMIN_ASSIGN(auto scanner, SaneScanner::open(device));
  const ActiveScan active(cancel, *scanner);
  BIANMIN_TRY(scanner->configure(req.scan));
  const bool adf = req.scan.source == ScanSource::adf;
  const int limit = adf ? req.max_pages : 1;
  ScannedMaterial out;
  for (int n = 1; limit == 0 || n <= limit; ++n) {
    auto t0 = std::chrono::steady_clock::now();
    Result<camera::Page> page = make_error("scanner_io", "not scanned");
    double scan_ms = 0;
    {
      // The raw scan (up to 26 MB at 300 dpi A4 colour) lives only here.
      auto scanned = scanner->scan_page();
      if (!scanned) {
        // An empty feeder after the first sheet is the normal end.
        if (adf && !out.pages.empty() && scanned.error().code == "scanner_no_docs") {
          out.feeder_empty = true;
          break;
        }
        page = scanned.take_error();
      } else {
        scan_ms = ms_since(t0);
        t0 = std::chrono::steady_clock::now();
        page = camera::process_flat_page(scanned->image, scanned->dpi, req.page);
      }
    }
    if (!page) {
      if (out.pages.empty()) return page.take_error();
      out.stopped = page.take_error();
      break;
    }
    MaterialPage m = material_page(std::move(*page));
    m.scan_ms = scan_ms;
    m.pipeline_ms = ms_since(t0);
    out.pages.push_back(std::move(m));
    if (on_page) on_page(out.pages.back(), n);
  }
  scanner->finish();
  return out;
}

}  // namespace bianmin::drivers::docscan
