#include "docscan/sane_scanner.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <sane/sane.h>
#include <sane/saneopts.h>

#include <cstdlib>
#include <optional>
#include <string_view>

#include "docscan/sane_constraint.h"
#include "docscan/sane_frame.h"
#include "docscan/sane_runtime.h"
#include "docscan/sane_status.h"
#include "docscan/stall_watch.h"

namespace bianmin::drivers::docscan {
namespace {

// The most bytes one frame may take: the pixel budget of every decoder
// (kMaxImagePixels) at 16-bit RGB. A backend announcing more, or sending
// more to a frame of unknown height, is refused before it fills memory.
constexpr long long kMaxFrameBytes = static_cast<long long>(camera::kMaxImagePixels) * 6;
// sane_read's buffer per call: large enough that a 25 MB page is ~25 calls.
constexpr std::size_t kReadChunk = 1 << 20;

SANE_Handle h_of(void* p) { return static_cast<SANE_Handle>(p); }

struct Option {
  SANE_Int index = 0;
  const SANE_Option_Descriptor* d = nullptr;
};

// Looked up by name each time: setting an option may reload the others
// (SANE_INFO_RELOAD_OPTIONS), and the descriptors' pointers with them.
std::optional<Option> find_option(SANE_Handle h, std::string_view name) {
  SANE_Int count = 0;
  if (sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr) != SANE_STATUS_GOOD) return std::nullopt;
  for (SANE_Int i = 1; i < count; ++i) {
    const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, i);
    if (d && d->name && name == d->name && SANE_OPTION_IS_ACTIVE(d->cap) && SANE_OPTION_IS_SETTABLE(d->cap))
      return Option{i, d};
  }
  return std::nullopt;
}

bool is_number(const SANE_Option_Descriptor& d) {
  return (d.type == SANE_TYPE_INT || d.type == SANE_TYPE_FIXED) && d.size == static_cast<SANE_Int>(sizeof(SANE_Word));
}

Status set_value(SANE_Handle h, const Option& o, void* value, const std::string& device) {
  SANE_Int info = 0;
  const SANE_Status st = sane_control_option(h, o.index, SANE_ACTION_SET_VALUE, value, &info);
  if (st == SANE_STATUS_GOOD) return {};
  Error e = sane_error(st, SaneStep::option, device);
  e.message += " (option " + std::string(o.d->name) + ")";
  return e;
}

// Sets a numeric option near `wanted` within its constraint; returns what
// the backend holds afterwards (it may round: SANE_INFO_INEXACT), or
// nullopt when the scanner has no such option.
Result<std::optional<double>> set_number(SANE_Handle h, std::string_view name, double wanted, const std::string& device) {
  auto o = find_option(h, name);
  if (!o || !is_number(*o->d)) return std::optional<double>();
  SANE_Word w = fit_number(*o->d, wanted);
  BIANMIN_TRY(set_value(h, *o, &w, device));
  o = find_option(h, name);
  if (o && sane_control_option(h, o->index, SANE_ACTION_GET_VALUE, &w, nullptr) == SANE_STATUS_GOOD)
    return std::optional<double>(word_value(*o->d, w));
  return std::optional<double>(wanted);
}

Status set_string(SANE_Handle h, const Option& o, const std::string& value, const std::string& device) {
  if (o.d->size <= 0) return make_error("scanner_unsupported", "option " + std::string(o.d->name) + " takes no text");
  std::string buf(value);
  buf.resize(static_cast<std::size_t>(o.d->size), '\0');  // the backend reads size bytes; NUL-terminated
  buf.back() = '\0';
  return set_value(h, o, buf.data(), device);
}

// Picks one of `names` among what the option offers and sets it; false
// when the scanner has no such option at all.
Result<bool> choose(SANE_Handle h, std::string_view option, const std::vector<std::string_view>& names,
                    const std::string& what, const std::string& device) {
  auto o = find_option(h, option);
  if (!o || o->d->type != SANE_TYPE_STRING) return false;
  auto value = pick_string(*o->d, names);
  if (!value) return make_error("scanner_unsupported", "scanner " + device + " offers no " + what);
  BIANMIN_TRY(set_string(h, *o, *value, device));
  return true;
}

}  // namespace

const char* scan_mode_name(ScanMode m) { return m == ScanMode::colour ? "colour" : "grey"; }
const char* scan_source_name(ScanSource s) { return s == ScanSource::adf ? "adf" : "flatbed"; }

Result<std::unique_ptr<SaneScanner>> SaneScanner::open(const std::string& device) {
  // sane_open("") opens whichever scanner comes first: never what a
  // terminal configured.
  if (device.empty()) return make_error("scanner_absent", "no scanner name given");
  BIANMIN_ASSIGN(auto runtime, SaneRuntime::get());
  SANE_Handle h = nullptr;
  const SANE_Status st = sane_open(device.c_str(), &h);
  if (st != SANE_STATUS_GOOD) return sane_error(st, SaneStep::open, device);
  std::unique_ptr<SaneScanner> s(new SaneScanner());
  s->runtime_ = std::move(runtime);
  s->handle_ = h;
  s->device_ = device;
  return s;
}

SaneScanner::~SaneScanner() {
  if (!handle_) return;
  sane_cancel(h_of(handle_));
  sane_close(h_of(handle_));
}

Status SaneScanner::configure(const ScanSettings& s) {
  SANE_Handle h = h_of(handle_);
  stall_limit_ = std::max(std::chrono::milliseconds(10), s.stall_limit);
  // Source first: a feeder often has other resolutions and a longer area.
  if (s.source == ScanSource::adf) {
    // A scanner without a source option is sheet-fed only, or flatbed only:
    // it decides at sane_start (NO_DOCS from a flatbed is as clear).
    BIANMIN_TRY(choose(h, SANE_NAME_SCAN_SOURCE,
                       {"Automatic Document Feeder", "ADF", "ADF Front", "ADF Simplex", "Document Feeder", "Feeder"},
                       "document feeder (ADF)", device_));
  } else {
    BIANMIN_TRY(choose(h, SANE_NAME_SCAN_SOURCE, {"Flatbed", "FlatBed", "Document Table", "Normal"}, "flatbed", device_));
  }
  if (s.mode == ScanMode::colour)
    BIANMIN_TRY(choose(h, SANE_NAME_SCAN_MODE, {"Color", "Colour", "RGB", "24bit Color", "Color24"}, "colour mode", device_));
  else
    BIANMIN_TRY(choose(h, SANE_NAME_SCAN_MODE, {"Gray", "Grey", "Grayscale", "Greyscale", "8bit Gray"}, "grey mode", device_));
  // 8 bits a sample where the scanner lets us choose: 16 doubles the bytes
  // over USB for nothing the pipeline keeps.
  BIANMIN_TRY(set_number(h, SANE_NAME_BIT_DEPTH, 8, device_));
  BIANMIN_ASSIGN(auto took, set_number(h, SANE_NAME_SCAN_RESOLUTION, s.dpi, device_));
  dpi_ = took ? *took : s.dpi;
  if (!(dpi_ > 0)) return make_error("scanner_io", "scanner " + device_ + " reports a resolution of " + std::to_string(dpi_));
  // The area, where the scanner measures it in mm (some count pixels: left
  // at their default, the whole glass).
  const std::pair<const char*, double> area[] = {{SANE_NAME_SCAN_TL_X, 0},
                                                 {SANE_NAME_SCAN_TL_Y, 0},
                                                 {SANE_NAME_SCAN_BR_X, s.width_mm},
                                                 {SANE_NAME_SCAN_BR_Y, s.height_mm}};
  for (const auto& [name, mm] : area) {
    auto o = find_option(h, name);
    if (o && o->d->unit == SANE_UNIT_MM) BIANMIN_TRY(set_number(h, name, mm, device_));
  }
  for (const auto& [name, value] : s.backend_options) BIANMIN_TRY(set_backend_option(name, value));
  return {};
}

Status SaneScanner::set_backend_option(const std::string& name, const std::string& value) {
  SANE_Handle h = h_of(handle_);
  auto o = find_option(h, name);
  if (!o) return make_error("scanner_unsupported", "scanner " + device_ + " has no settable option " + name);
  switch (o->d->type) {
    case SANE_TYPE_BOOL: {
      SANE_Word b = value == "yes" || value == "true" || value == "1" || value == "on" ? SANE_TRUE : SANE_FALSE;
      return set_value(h, *o, &b, device_);
    }
    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED: {
      char* end = nullptr;
      const double v = std::strtod(value.c_str(), &end);
      if (!is_number(*o->d) || end == value.c_str() || *end)
        return make_error("scanner_unsupported", "option " + name + " wants one number, not \"" + value + "\"");
      SANE_Word w = fit_number(*o->d, v);
      return set_value(h, *o, &w, device_);
    }
    case SANE_TYPE_STRING: return set_string(h, *o, value, device_);
    case SANE_TYPE_BUTTON: return set_value(h, *o, nullptr, device_);
    case SANE_TYPE_GROUP: break;
  }
  return make_error("scanner_unsupported", "option " + name + " cannot be set");
}

Result<std::string> SaneScanner::read_frame(long long expected_bytes) {
  SANE_Handle h = h_of(handle_);
  // Room for the frame as announced plus the final read that reports EOF;
  // an unknown height grows the buffer as lines come.
  std::string data(expected_bytes > 0 ? static_cast<std::size_t>(expected_bytes) + 4096 : kReadChunk * 4, '\0');
  std::size_t filled = 0;
  StallWatch stall(h, stall_limit_);
  for (;;) {
    if (cancelled_) return sane_error(SANE_STATUS_CANCELLED, SaneStep::read, device_);
    if (data.size() - filled < 4096) {
      if (static_cast<long long>(data.size()) > kMaxFrameBytes) {
        stall.stop();
        sane_cancel(h);
        return make_error("scanner_frame_invalid", "scanner " + device_ + ": the page is larger than any paper");
      }
      data.resize(data.size() + data.size() / 2);
    }
    SANE_Int len = 0;
    const std::size_t want = std::min(data.size() - filled, kReadChunk);
    const SANE_Status st = sane_read(h, reinterpret_cast<SANE_Byte*>(data.data() + filled), static_cast<SANE_Int>(want), &len);
    // The frame ended, one way or another: no cancel of the watch's may
    // now race the reader's exit or our own cancel.
    if (st != SANE_STATUS_GOOD) stall.stop();
    // Before EOF: a cancelled backend may end the frame early with EOF
    // (the test backend does), which is no page.
    if (cancelled_) return sane_error(SANE_STATUS_CANCELLED, SaneStep::read, device_);
    if (stall.fired())  // the watch cancelled the scan
      return make_error("scanner_stalled", "scanner " + device_ + " handed over nothing for " +
                                               (stall_limit_.count() % 1000 == 0
                                                    ? std::to_string(stall_limit_.count() / 1000) + " s"
                                                    : std::to_string(stall_limit_.count()) + " ms") +
                                               "; the scan was stopped");
    if (st == SANE_STATUS_EOF) break;
    if (st != SANE_STATUS_GOOD) {
      end_after_reader(h);
      return sane_error(st, SaneStep::read, device_);
    }
    if (len < 0 || static_cast<std::size_t>(len) > want) {
      stall.stop();
      sane_cancel(h);
      return make_error("scanner_io", "scanner " + device_ + ": the backend returned more bytes than asked for");
    }
    filled += static_cast<std::size_t>(len);
    if (len > 0) stall.progressed();
  }
  data.resize(filled);
  return data;
}

// Ends a scan whose frame the backend has finished (EOF, or a status such
// as a jam that the reader reported as its last word): once the backend's
// reader thread is gone (docscan/reader_threads.h says why), sane_cancel.
// A user's cancel does not wait: the reader is mid-page then, not in its
// exit.
void SaneScanner::end_after_reader(void* h) {
  (void)reader_.wait_gone(std::chrono::seconds(2));
  sane_cancel(static_cast<SANE_Handle>(h));
}

Result<ScannedImage> SaneScanner::scan_page() {
  SANE_Handle h = h_of(handle_);
  if (cancelled_) return sane_error(SANE_STATUS_CANCELLED, SaneStep::start, device_);
  reader_.before_start();
  SANE_Status st = sane_start(h);
  reader_.after_start();
  if (cancelled_) return sane_error(SANE_STATUS_CANCELLED, SaneStep::start, device_);
  if (st != SANE_STATUS_GOOD) return sane_error(st, SaneStep::start, device_);
  // The parameters after sane_start are exact (before it, an estimate).
  SANE_Parameters p{};
  st = sane_get_parameters(h, &p);
  if (st != SANE_STATUS_GOOD) {
    sane_cancel(h);
    return sane_error(st, SaneStep::start, device_);
  }
  const long long expected = p.lines > 0 ? static_cast<long long>(p.bytes_per_line) * p.lines : -1;
  if (packed_line_bytes(p) == 0 || expected > kMaxFrameBytes || p.bytes_per_line <= 0) {
    // Refused before reading: say why (the conversion names it).
    sane_cancel(h);
    auto refused = frame_to_image(p, {});
    return refused ? make_error("scanner_frame_invalid", "scanner " + device_ + ": the page is larger than any paper")
                   : refused.take_error();
  }
  BIANMIN_ASSIGN(std::string data, read_frame(expected));
  if (!p.last_frame) {
    // Grey and RGB frames are a page each; more frames are three-pass.
    sane_cancel(h);
    return make_error("scanner_unsupported", "scanner " + device_ + " sends a page in several frames (three-pass)");
  }
  BIANMIN_ASSIGN(camera::Image im, frame_to_image(p, data));
  return ScannedImage{std::move(im), dpi_};
}

void SaneScanner::finish() { end_after_reader(h_of(handle_)); }

void SaneScanner::cancel() {
  cancelled_ = true;
  sane_cancel(h_of(handle_));
}

}  // namespace bianmin::drivers::docscan
