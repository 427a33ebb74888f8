// One document scanner through SANE: open by device name, choose
// resolution, mode, source and scan area within what the backend offers,
// scan a page (or the feeder's next sheet), cancel from another thread.
//
// Why a folder of its own (drivers/docscan, not drivers/camera): a
// scanner is another device with another library (libsane) and its own
// errors (jams, empty feeders, covers); what it shares with the document
// camera is only what happens to a page afterwards (camera/page_pipeline.h),
// which it calls rather than copies.
//
// Threads: one thread drives a SaneScanner (SANE handles are not
// thread-safe); cancel() alone may be called from any other thread, as the
// SANE standard allows sane_cancel to be called asynchronously.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "camera/image.h"
#include "docscan/reader_threads.h"

namespace bianmin::drivers::docscan {

class SaneRuntime;

enum class ScanMode { colour, grey };
enum class ScanSource { flatbed, adf };
const char* scan_mode_name(ScanMode m);
const char* scan_source_name(ScanSource s);

struct ScanSettings {
  int dpi = 300;
  ScanMode mode = ScanMode::colour;
  ScanSource source = ScanSource::flatbed;
  // The scan area from the glass's (or feeder's) top-left corner, in mm,
  // when the backend has the geometry options (tl-x, tl-y, br-x, br-y):
  // A4. Clipped to the backend's maximum (a 216 mm flatbed takes A4, a
  // smaller one gives what it has).
  double width_mm = 210, height_mm = 297;
  // Backend-specific options, NAME=VALUE as `scanimage --help -d DEV`
  // lists them, set after the others: a technician's setting for a
  // particular scanner, and the test backend's fault options in the tests.
  std::vector<std::pair<std::string, std::string>> backend_options;
  // A backend that hands over no byte for this long is stopped and the
  // scan fails with "scanner_stalled" (docscan/stall_watch.h). Long enough
  // for a lamp to warm up and a feeder to pull a sheet.
  std::chrono::milliseconds stall_limit{60000};
};

// A page as the scanner delivered it: 8-bit grey or RGB at `dpi`.
struct ScannedImage {
  camera::Image image;
  double dpi = 0;
};

class SaneScanner {
 public:
  // Errors: "scanner_absent" (no backend knows the name, or the device is
  // gone), "scanner_busy", "scanner_access_denied", "scanner_io".
  static Result<std::unique_ptr<SaneScanner>> open(const std::string& device);
  ~SaneScanner();  // ends a scan in progress (sane_cancel), sane_close
  SaneScanner(const SaneScanner&) = delete;
  SaneScanner& operator=(const SaneScanner&) = delete;

  // Sets source, mode, resolution and area, in that order (each may change
  // what the next one allows). "scanner_unsupported" when the scanner has
  // no feeder but the ADF was asked for, or none of the mode's names;
  // a resolution or area outside the scanner's range is moved inside it.
  Status configure(const ScanSettings& s);
  // The resolution the backend took (it may round), in dpi.
  double dpi() const { return dpi_; }

  // Scans one page: sane_start, every frame read with sane_read, converted
  // (docscan/sane_frame.h). From the feeder, each call takes the next
  // sheet; "scanner_no_docs" when none is left. Others: "scanner_jammed",
  // "scanner_cover_open", "scanner_busy", "scanner_cancelled",
  // "scanner_stalled", "scanner_io", "scanner_unsupported",
  // "scanner_frame_invalid".
  Result<ScannedImage> scan_page();
  // Tells the backend that no further page follows (sane_cancel): after
  // the last page of a batch, so the feeder stops and the lamp goes off.
  void finish();
  // From any thread: stops the scan in progress (its scan_page returns
  // "scanner_cancelled") and every later one.
  void cancel();
  bool cancelled() const { return cancelled_.load(); }

  const std::string& device() const { return device_; }

 private:
  void end_after_reader(void* handle);
  SaneScanner() = default;
  Status set_backend_option(const std::string& name, const std::string& value);
  Result<std::string> read_frame(long long expected_bytes);

  std::shared_ptr<SaneRuntime> runtime_;
  void* handle_ = nullptr;  // SANE_Handle
  std::string device_;
  double dpi_ = 0;
  std::atomic<bool> cancelled_{false};
  std::chrono::milliseconds stall_limit_{60000};
  ReaderThreads reader_;
};

}  // namespace bianmin::drivers::docscan
