// The counter terminal's call: scan a material's pages from a document
// scanner (one from the flatbed, N or the whole feeder from the ADF),
// each through the same page pipeline and size budget as a document
// camera's page, into finished pages ready for add_material_page
// (camera/material_store.h) or a submission. Blocking: run it on a worker
// thread (DESIGN invariant 5); cancel it from the UI thread.
//
//   docscan::ScanCancel cancel;                       // shared with the UI
//   docscan::ScanRequest req;
//   req.device = "test:0";                            // or cfg devices.document_scanner
//   req.scan.source = docscan::ScanSource::adf;       // dpi 300, colour, A4 by default
//   auto done = docscan::scan_material(req, &cancel, [](const docscan::MaterialPage& p, int n) { … });
//   // UI thread, any time: cancel.cancel();
//   if (!done) show(done.error());                    // nothing scanned: scanner_no_docs, scanner_absent …
//   else for (auto& p : done->pages) add_material_page(store, client_id, material_id, p.bytes, p.mime);
//   // done->stopped: why a feed ended early, with the pages before it kept
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "camera/page_pipeline.h"
#include "docscan/sane_scanner.h"

namespace bianmin::drivers::docscan {

// "sane:DEVICE" (the [devices] form, room for other transports later) or
// a bare SANE device name → the SANE device name. "usage" when empty or
// another transport is named.
Result<std::string> parse_document_scanner(std::string_view text);

struct ScanRequest {
  std::string device;        // SANE device name ("test:0", "genesys:libusb:001:004"); "sane:" prefix accepted
  ScanSettings scan;         // 300 dpi, colour, flatbed, A4
  int max_pages = 0;         // ADF: at most this many (0: until the feeder is empty); flatbed: always 1
  camera::PageOptions page;  // enhancement, output dpi cap, size budget: as for the camera
};

// One finished page: the same bytes a camera page of the same options
// would have become (camera::process_flat_page).
struct MaterialPage {
  std::string bytes;      // the encoded page (JPEG; PNG when bitonal)
  std::string mime;       // "image/jpeg" or "image/png"
  std::string thumbnail;  // JPEG, for the screen
  int width = 0, height = 0, dpi = 0;
  int quality = 0;
  bool colour = false;
  std::string paper;      // "A4" … or "" when no known format
  double width_mm = 0, height_mm = 0;
  std::size_t budget_bytes = 0;
  double scan_ms = 0, pipeline_ms = 0;  // time at the scanner, time in the pipeline
};

struct ScannedMaterial {
  std::vector<MaterialPage> pages;
  int page_count() const { return static_cast<int>(pages.size()); }
  // The ADF ran out of paper (the normal end of a whole-feeder scan).
  bool feeder_empty = false;
  // Why the feed stopped before it ended normally (jam, cover opened,
  // cancel, a page over the budget) after at least one page: the pages
  // before it are kept; scanning on from the next sheet is the clerk's
  // choice.
  std::optional<Error> stopped;
};

// Cancels a scan_material from another thread; reusable for one call at a
// time. Thread-safe.
class ScanCancel {
 public:
  void cancel();
  bool requested() const;

 private:
  friend class ActiveScan;
  mutable std::mutex m_;
  bool requested_ = false;
  SaneScanner* active_ = nullptr;
};

using PageCallback = std::function<void(const MaterialPage& page, int number)>;

// Scans and processes the request's pages. Errors when no page came out:
// "scanner_absent", "scanner_busy", "scanner_no_docs" (empty feeder),
// "scanner_jammed", "scanner_cover_open", "scanner_cancelled",
// "scanner_access_denied", "scanner_unsupported", "scanner_io",
// "scanner_frame_invalid", "page_too_large" (over the size budget even at
// the lowest quality), "image_invalid". `on_page` (optional) is called on
// the calling thread after each finished page, numbered from 1.
Result<ScannedMaterial> scan_material(const ScanRequest& req, ScanCancel* cancel = nullptr,
                                      const PageCallback& on_page = {});

}  // namespace bianmin::drivers::docscan
