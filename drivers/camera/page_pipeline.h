// From a photographed page to a clean, small page image a reviewer can
// read: find the page's outline, undo perspective and rotation, crop,
// enhance, estimate the resolution, encode to a size budget, thumbnail.
//
// Our own code on libjpeg-turbo (no OpenCV, no Leptonica): the pipeline
// needs a dozen small operations, each a tight loop over bytes that the
// compiler vectorises on ARM NEON as on x86; nothing to load at start-up,
// no extra megabytes in the image. See README "Dependencies and why".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "camera/geometry.h"
#include "camera/image.h"

namespace bianmin::drivers::camera {

enum class Enhance {
  automatic,  // colour for ID cards and pages with colour (photo, red seal), else document
  document,   // greyscale, shadows and uneven light removed, contrast stretched
  colour,     // same light correction, colour kept
  bitonal,    // black and white, always lossless (1-bit PNG), never lossy JBIG2
};
std::optional<Enhance> parse_enhance(const std::string& s);
const char* enhance_name(Enhance e);

struct PageOptions {
  Enhance mode = Enhance::automatic;
  int max_dpi = 200;                   // output resolution cap; never enlarged beyond the source
  std::size_t budget_bytes = 300'000;  // per A4-sized page; larger pages in proportion
  double desk_width_mm = 500;          // camera coverage across the frame at the desk, for size estimates
  int thumb_px = 320;                  // long side of the thumbnail
  int min_quality = 35, max_quality = 85;
  int rotate_quarters = 0;             // extra clockwise quarter turns (a page placed sideways)
};

struct PageTiming {
  double detect_ms = 0, warp_ms = 0, enhance_ms = 0, encode_ms = 0;
};

struct Page {
  std::string bytes;  // the encoded page
  std::string mime;   // image/jpeg, or image/png for bitonal
  int width = 0, height = 0;
  int dpi = 0;        // estimated pixels per inch of the page image
  int quality = 0;    // JPEG quality chosen for the budget (0 for PNG)
  bool colour = false;
  bool outline_found = false;  // false: no page edge found, the whole frame was kept
  Quad outline{};              // in frame pixels (TL, TR, BR, BL)
  std::string paper;           // "A4", "ID-1" … when the size matched a known format
  double width_mm = 0, height_mm = 0;
  std::size_t budget_bytes = 0;
  std::string thumbnail;       // JPEG
  Image image;                 // the enhanced page
  PageTiming timing;
};

// Runs the whole pipeline on an RGB (or grey) frame.
Result<Page> process_page(const Image& frame, const PageOptions& opts = {});

// The pipeline for a page that arrives flat and upright at a known
// resolution (a flatbed or sheet-fed document scanner): no outline search
// and no perspective warp, which would only find the scan's own border;
// reduced to max_dpi, then the same enhancement, size budget, encoding and
// thumbnail as a photographed page. A grey scan stays grey (no RGB copy).
// outline_found stays false and the outline is the whole scan.
Result<Page> process_flat_page(const Image& scan, double scan_dpi, const PageOptions& opts = {});

// The steps, for tests and benchmarks.
struct Outline {
  Quad quad;      // TL, TR, BR, BL of the upright page, frame pixels
  double score = 0;
};
std::optional<Outline> find_page_outline(const Image& frame);

struct PaperSize {
  std::string name;  // "" when no known format fits
  double w_mm = 0, h_mm = 0;
  double src_dpi = 0;
};
PaperSize estimate_paper(const Quad& q, int frame_width, double desk_width_mm);

// Warps the quad to a w × h rectangle (bilinear).
Image warp_quad(const Image& src, const Quad& q, int w, int h);
// Removes shadows and uneven light, stretches contrast; grey or colour.
Image enhance_page(const Image& page, bool colour);
// Colourful enough to keep colour (photo, seal, coloured form)?
bool has_colour(const Image& normalised_rgb);

// JPEG at the highest quality in [min_q, max_q] that fits `budget`;
// smaller pixel dimensions if even min_q does not fit.
struct Encoded {
  std::string bytes;
  int quality = 0;
  int width = 0, height = 0;
};
Result<Encoded> encode_to_budget(const Image& im, std::size_t budget, int min_q, int max_q, int dpi);

}  // namespace bianmin::drivers::camera
