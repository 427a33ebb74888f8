#include "camera/page_pipeline.h"

#include <algorithm>
#include <chrono>
#include <string_view>
#include <cmath>

#include "camera/jpeg_codec.h"

namespace bianmin::drivers::camera {
namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

struct Format {
  const char* name;
  double w, h;  // portrait, mm
};
constexpr Format kFormats[] = {
    {"A3", 297, 420}, {"A4", 210, 297}, {"A5", 148, 210}, {"B5", 176, 250}, {"B5-JIS", 182, 257},
    {"Letter", 215.9, 279.4}, {"ID-1", 53.98, 85.6}, {"16K", 195, 270},
};
constexpr double kA4Area = 210.0 * 297.0;

}  // namespace

std::optional<Enhance> parse_enhance(const std::string& s) {
  if (s == "auto") return Enhance::automatic;
  if (s == "document" || s == "grey" || s == "gray") return Enhance::document;
  if (s == "colour" || s == "color") return Enhance::colour;
  if (s == "bitonal") return Enhance::bitonal;
  return std::nullopt;
}

const char* enhance_name(Enhance e) {
  switch (e) {
    case Enhance::automatic: return "auto";
    case Enhance::document: return "document";
    case Enhance::colour: return "colour";
    case Enhance::bitonal: return "bitonal";
  }
  return "auto";
}

PaperSize estimate_paper(const Quad& q, int frame_width, double desk_width_mm) {
  const double wpx = (dist(q[0], q[1]) + dist(q[3], q[2])) / 2;
  const double hpx = (dist(q[0], q[3]) + dist(q[1], q[2])) / 2;
  const double cam_ppm = frame_width / desk_width_mm;
  const double wmm = wpx / cam_ppm, hmm = hpx / cam_ppm;
  PaperSize out;
  double best = 1e9;
  for (const auto& f : kFormats)
    for (int rot = 0; rot < 2; ++rot) {
      const double fw = rot ? f.h : f.w, fh = rot ? f.w : f.h;
      const double ea = std::abs(std::log((hpx / wpx) / (fh / fw)));
      // The camera may sit higher or lower than configured: size counts
      // less than shape, but tells A4 from A5.
      const double es = std::abs(std::log(std::sqrt(wmm * hmm / (fw * fh))));
      if (ea > 0.075 || es > 0.45) continue;
      // A4 and ID cards are what residents bring; other formats must
      // match clearly better to win.
      const std::string_view n = f.name;
      const double e = ea + 0.25 * es + (n == "A4" || n == "ID-1" ? 0.0 : 0.06);
      if (e < best) {
        best = e;
        out.name = f.name;
        out.w_mm = fw;
        out.h_mm = fh;
      }
    }
  if (out.name.empty()) {
    out.w_mm = wmm;
    out.h_mm = hmm;
  }
  out.src_dpi = 25.4 * (wpx / out.w_mm + hpx / out.h_mm) / 2;
  return out;
}

Image warp_quad(const Image& src, const Quad& q, int w, int h) {
  Image out = Image::make(w, h, src.channels);
  const Quad rect{Pt{0, 0}, Pt{static_cast<double>(w), 0}, Pt{static_cast<double>(w), static_cast<double>(h)},
                  Pt{0, static_cast<double>(h)}};
  auto H = Homography::from(rect, q);
  if (!H) return out;
  const auto& m = H->m;
  const int C = src.channels;
  const float maxx = static_cast<float>(src.width - 1), maxy = static_cast<float>(src.height - 1);
  for (int y = 0; y < h; ++y) {
    uint8_t* o = out.row(y);
    const double fy = y + 0.5;
    for (int x = 0; x < w; ++x) {
      const double fx = x + 0.5;
      const double iw = 1.0 / (m[6] * fx + m[7] * fy + m[8]);
      const float sx = std::clamp(static_cast<float>((m[0] * fx + m[1] * fy + m[2]) * iw - 0.5), 0.f, maxx);
      const float sy = std::clamp(static_cast<float>((m[3] * fx + m[4] * fy + m[5]) * iw - 0.5), 0.f, maxy);
      const int x0 = std::min(static_cast<int>(sx), src.width - 2), y0 = std::min(static_cast<int>(sy), src.height - 2);
      const float tx = sx - static_cast<float>(x0), ty = sy - static_cast<float>(y0);
      const uint8_t* r0 = src.row(y0) + x0 * C;
      const uint8_t* r1 = r0 + src.stride();
      for (int c = 0; c < C; ++c) {
        const float top = r0[c] + tx * static_cast<float>(r0[C + c] - r0[c]);
        const float bot = r1[c] + tx * static_cast<float>(r1[C + c] - r1[c]);
        o[x * C + c] = static_cast<uint8_t>(top + ty * (bot - top) + 0.5f);
      }
    }
  }
  return out;
}

namespace {

// The paper's brightness everywhere: per block, a high percentile of the
// pixels (ink is dark, so this is the paper), blocks that are much darker
// than the page's paper (a photo, a black box) filled from their
// neighbours, then smoothed and interpolated back to full size.
std::vector<float> background(const Image& grey, int& bw, int& bh, int& block) {
  block = std::max(16, std::max(grey.width, grey.height) / 48);
  bw = (grey.width + block - 1) / block;
  bh = (grey.height + block - 1) / block;
  std::vector<float> bg(static_cast<std::size_t>(bw * bh));
  int hist[256];
  for (int by = 0; by < bh; ++by)
    for (int bx = 0; bx < bw; ++bx) {
      std::fill(std::begin(hist), std::end(hist), 0);
      int n = 0;
      for (int y = by * block; y < std::min(grey.height, (by + 1) * block); y += 2)
        for (int x = bx * block; x < std::min(grey.width, (bx + 1) * block); x += 2) ++hist[grey.at(x, y)], ++n;
      int k = 0, acc = 0;
      const int want = n * 9 / 10;
      for (k = 0; k < 255 && acc + hist[k] <= want; ++k) acc += hist[k];
      bg[static_cast<std::size_t>(by * bw + bx)] = static_cast<float>(k);
    }
  std::vector<float> sorted(bg);
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() * 3 / 4), sorted.end());
  const float paper = sorted[sorted.size() * 3 / 4];
  std::vector<char> valid(bg.size());
  for (std::size_t i = 0; i < bg.size(); ++i) valid[i] = bg[i] >= 0.45f * paper;
  for (int pass = 0; pass < 64; ++pass) {
    bool changed = false;
    std::vector<char> nv(valid);
    for (int by = 0; by < bh; ++by)
      for (int bx = 0; bx < bw; ++bx) {
        const std::size_t i = static_cast<std::size_t>(by * bw + bx);
        if (valid[i]) continue;
        float s = 0;
        int c = 0;
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int x = bx + dx, y = by + dy;
            if (x < 0 || y < 0 || x >= bw || y >= bh) continue;
            const std::size_t j = static_cast<std::size_t>(y * bw + x);
            if (valid[j]) s += bg[j], ++c;
          }
        if (c) bg[i] = s / static_cast<float>(c), nv[i] = 1, changed = true;
      }
    valid.swap(nv);
    if (!changed) break;
  }
  for (std::size_t i = 0; i < bg.size(); ++i)
    if (!valid[i]) bg[i] = paper;
  // 3×3 smoothing, twice.
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<float> sm(bg.size());
    for (int by = 0; by < bh; ++by)
      for (int bx = 0; bx < bw; ++bx) {
        float s = 0;
        int c = 0;
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int x = std::clamp(bx + dx, 0, bw - 1), y = std::clamp(by + dy, 0, bh - 1);
            s += bg[static_cast<std::size_t>(y * bw + x)], ++c;
          }
        sm[static_cast<std::size_t>(by * bw + bx)] = s / static_cast<float>(c);
      }
    bg.swap(sm);
  }
  for (auto& v : bg) v = std::max(v, 8.f);
  return bg;
}

// Bilinear lookup in the block grid (block centres).
struct BgField {
  const std::vector<float>& v;
  int bw, bh, block;
  float at(int x, int y) const {
    const float fx = std::clamp((static_cast<float>(x) + 0.5f) / static_cast<float>(block) - 0.5f, 0.f, static_cast<float>(bw - 1));
    const float fy = std::clamp((static_cast<float>(y) + 0.5f) / static_cast<float>(block) - 0.5f, 0.f, static_cast<float>(bh - 1));
    const int x0 = std::min(static_cast<int>(fx), std::max(bw - 2, 0)), y0 = std::min(static_cast<int>(fy), std::max(bh - 2, 0));
    const int x1 = std::min(x0 + 1, bw - 1), y1 = std::min(y0 + 1, bh - 1);
    const float tx = fx - static_cast<float>(x0), ty = fy - static_cast<float>(y0);
    auto g = [&](int a, int b) { return v[static_cast<std::size_t>(b * bw + a)]; };
    return (1 - ty) * ((1 - tx) * g(x0, y0) + tx * g(x1, y0)) + ty * ((1 - tx) * g(x0, y1) + tx * g(x1, y1));
  }
};

}  // namespace

Image enhance_page(const Image& page, bool colour) {
  const Image grey = to_grey(page);
  int bw = 0, bh = 0, block = 0;
  const std::vector<float> bgv = background(grey, bw, bh, block);
  const BgField bg{bgv, bw, bh, block};
  // Per-channel paper colour, for white balance in colour mode.
  double wb[3] = {1, 1, 1};
  if (colour && page.channels == 3) {
    double sum[3] = {0, 0, 0};
    long n = 0;
    for (int y = 0; y < page.height; y += 7)
      for (int x = 0; x < page.width; x += 7) {
        const float b = bg.at(x, y);
        if (grey.at(x, y) < b * 0.92f) continue;  // paper only
        for (int c = 0; c < 3; ++c) sum[c] += page.at(x, y, c);
        sum[0] += 0;
        ++n;
        (void)b;
      }
    if (n > 100) {
      const double m = (sum[0] + sum[1] + sum[2]) / 3;
      for (int c = 0; c < 3; ++c) wb[c] = std::clamp(m / std::max(sum[c], 1.0), 0.7, 1.4);
    }
  }
  // Normalised grey: paper → 1.0. Then the ink level decides the stretch.
  int hist[256] = {};
  for (int y = 0; y < grey.height; y += 2)
    for (int x = 0; x < grey.width; x += 2) {
      const int v = std::min(255, static_cast<int>(255.f * grey.at(x, y) / bg.at(x, y)));
      ++hist[v];
    }
  long total = 0;
  for (int v : hist) total += v;
  long acc = 0;
  int black = 0;
  while (black < 200 && acc + hist[black] < total / 200) acc += hist[black++];  // 0.5 % darkest = ink
  black = std::min(black, 150);
  const float white = 235.f;  // paper a little below full scale maps to 255
  const float scale = 255.f / (white - static_cast<float>(black));
  // Lookup: normalised value → output, with a gamma that darkens thin strokes.
  uint8_t lut[256];
  for (int v = 0; v < 256; ++v) {
    const float t = std::clamp((static_cast<float>(v) - static_cast<float>(black)) * scale / 255.f, 0.f, 1.f);
    lut[v] = static_cast<uint8_t>(std::lround(255.f * std::pow(t, 1.35f)));
  }
  const int C = colour && page.channels == 3 ? 3 : 1;
  Image out = Image::make(page.width, page.height, C);
  for (int y = 0; y < page.height; ++y) {
    uint8_t* o = out.row(y);
    for (int x = 0; x < page.width; ++x) {
      const float k = 255.f / bg.at(x, y);
      if (C == 1) {
        o[x] = lut[std::min(255, static_cast<int>(grey.at(x, y) * k))];
      } else {
        for (int c = 0; c < 3; ++c)
          o[3 * x + c] = lut[std::min(255, static_cast<int>(static_cast<float>(page.at(x, y, c) * wb[c]) * k))];
      }
    }
  }
  // Mild unsharp mask: the camera's optics soften strokes.
  const Image blur = box_blur(out, 1);
  for (std::size_t i = 0; i < out.px.size(); ++i) {
    const int v = out.px[i] + (out.px[i] - blur.px[i]) * 6 / 10;
    out.px[i] = static_cast<uint8_t>(std::clamp(v, 0, 255));
  }
  return out;
}

bool has_colour(const Image& im) {
  if (im.channels != 3) return false;
  long n = 0, coloured = 0;
  // Not the outermost 2 %: a sliver of desk at a corner is not the page's colour.
  const int mx0 = im.width / 50, my0 = im.height / 50;
  for (int y = my0; y < im.height - my0; y += 3)
    for (int x = mx0; x < im.width - mx0; x += 3) {
      const int r = im.at(x, y, 0), g = im.at(x, y, 1), b = im.at(x, y, 2);
      const int mx = std::max({r, g, b}), mn = std::min({r, g, b});
      ++n;
      if (mx - mn > 60 && mx > 160) ++coloured;  // not dark ink (blue ballpoint is dark)
    }
  return n > 0 && static_cast<double>(coloured) / static_cast<double>(n) > 0.004;
}

Result<Encoded> encode_to_budget(const Image& im, std::size_t budget, int min_q, int max_q, int dpi) {
  Image cur = im;
  for (int shrink = 0; shrink < 6; ++shrink) {
    BIANMIN_ASSIGN(std::string top, encode_jpeg(cur, max_q, dpi));
    if (top.size() <= budget) return Encoded{std::move(top), max_q, cur.width, cur.height};
    // Bisect the quality: size grows monotonically with it (near enough).
    int lo = min_q, hi = max_q - 1;
    std::string best;
    int best_q = 0;
    while (lo <= hi) {
      const int mid = (lo + hi) / 2;
      BIANMIN_ASSIGN(std::string b, encode_jpeg(cur, mid, dpi));
      if (b.size() <= budget) {
        best = std::move(b);
        best_q = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (!best.empty()) return Encoded{std::move(best), best_q, cur.width, cur.height};
    cur = resize(cur, std::max(1, cur.width * 17 / 20), std::max(1, cur.height * 17 / 20));
    dpi = dpi * 17 / 20;
  }
  return make_error("page_too_large", "the page does not fit the size budget even at low quality");
}

namespace {

// Enhancement, encoding to the size budget and the thumbnail: the same for
// a photographed page (after its outline search and warp) and for a page a
// document scanner delivered flat, so both make the same material files.
// `upright` is the page at `dpi`; page.width_mm and height_mm are set.
Status finish_page(Page& page, const Image& upright, const std::string& paper_name, int dpi, const PageOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  bool colour = o.mode == Enhance::colour;
  Image enhanced;
  if (o.mode == Enhance::automatic) {
    enhanced = enhance_page(upright, true);
    colour = paper_name == "ID-1" || has_colour(enhanced);
    if (!colour) enhanced = to_grey(enhanced);
  } else {
    enhanced = enhance_page(upright, colour);
  }
  page.timing.enhance_ms = ms_since(t0);

  t0 = std::chrono::steady_clock::now();
  const double area = page.width_mm * page.height_mm;
  page.budget_bytes = static_cast<std::size_t>(static_cast<double>(o.budget_bytes) * std::max(1.0, area / kA4Area));
  page.dpi = dpi;
  page.colour = colour;
  if (o.mode == Enhance::bitonal) {
    // Ink below the midpoint between the ink level and paper.
    Image bw = to_grey(enhanced);
    for (auto& v : bw.px) v = v < 150 ? 0 : 255;
    BIANMIN_ASSIGN(page.bytes, encode_png(bw, true, dpi));
    page.mime = "image/png";
    page.width = bw.width;
    page.height = bw.height;
    enhanced = std::move(bw);
  } else {
    BIANMIN_ASSIGN(Encoded e, encode_to_budget(enhanced, page.budget_bytes, o.min_quality, o.max_quality, dpi));
    page.bytes = std::move(e.bytes);
    page.mime = "image/jpeg";
    page.quality = e.quality;
    page.width = e.width;
    page.height = e.height;
    if (e.width != enhanced.width) {
      page.dpi = static_cast<int>(std::lround(static_cast<double>(dpi) * e.width / enhanced.width));
      enhanced = resize(enhanced, e.width, e.height);
    }
  }
  const double ts = static_cast<double>(o.thumb_px) / std::max(enhanced.width, enhanced.height);
  const Image thumb = resize(enhanced, std::max(1, static_cast<int>(enhanced.width * ts)), std::max(1, static_cast<int>(enhanced.height * ts)));
  BIANMIN_ASSIGN(page.thumbnail, encode_jpeg(thumb.channels == 1 || thumb.channels == 3 ? thumb : to_grey(thumb), 70));
  page.image = std::move(enhanced);
  page.timing.encode_ms = ms_since(t0);
  return {};
}

}  // namespace

Result<Page> process_page(const Image& frame_in, const PageOptions& o) {
  if (frame_in.empty()) return make_error("image_invalid", "empty frame");
  // A colour frame is used as it is: a copy would be another 15 MB at the
  // kiosk's peak (2592 x 1944).
  Image converted;
  if (frame_in.channels != 3) converted = to_rgb(frame_in);
  const Image& frame = frame_in.channels == 3 ? frame_in : converted;
  Page page;
  auto t0 = std::chrono::steady_clock::now();
  auto outline = find_page_outline(frame);
  Quad q;
  if (outline) {
    q = outline->quad;
    page.outline_found = true;
  } else {
    q = Quad{Pt{0, 0}, Pt{static_cast<double>(frame.width), 0},
             Pt{static_cast<double>(frame.width), static_cast<double>(frame.height)}, Pt{0, static_cast<double>(frame.height)}};
  }
  page.outline = q;
  PaperSize paper = estimate_paper(q, frame.width, o.desk_width_mm);
  page.paper = paper.name;
  page.width_mm = paper.w_mm;
  page.height_mm = paper.h_mm;
  page.timing.detect_ms = ms_since(t0);

  t0 = std::chrono::steady_clock::now();
  const int dpi = std::max(50, static_cast<int>(std::lround(std::min<double>(o.max_dpi, paper.src_dpi))));
  const int w = std::max(16, static_cast<int>(std::lround(paper.w_mm / 25.4 * dpi)));
  const int h = std::max(16, static_cast<int>(std::lround(paper.h_mm / 25.4 * dpi)));
  // Trim a hair inside the edge so no strip of desk survives.
  Quad inner = q;
  if (page.outline_found) {
    Pt c{0, 0};
    for (const auto& p : q) c = c + p * 0.25;
    for (auto& p : inner) p = c + (p - c) * 0.992;
  }
  // Reduce first when the source is much finer than the output (warping
  // samples only four source pixels per output pixel).
  const double ratio = paper.src_dpi / dpi;
  Image warped;
  if (ratio >= 2) {
    const int f = static_cast<int>(ratio);
    const Image reduced = resize(frame, std::max(1, frame.width / f), std::max(1, frame.height / f));
    const double sx = static_cast<double>(reduced.width) / frame.width, sy = static_cast<double>(reduced.height) / frame.height;
    Quad rq = inner;
    for (auto& p : rq) p = Pt{p.x * sx, p.y * sy};
    warped = warp_quad(reduced, rq, w, h);
  } else {
    warped = warp_quad(frame, inner, w, h);
  }
  if (o.rotate_quarters) warped = rotate_quarter(warped, o.rotate_quarters);
  page.timing.warp_ms = ms_since(t0);

  BIANMIN_TRY(finish_page(page, warped, paper.name, dpi, o));
  return page;
}

Result<Page> process_flat_page(const Image& scan, double scan_dpi, const PageOptions& o) {
  if (scan.empty() || (scan.channels != 1 && scan.channels != 3)) return make_error("image_invalid", "empty scan");
  if (!(scan_dpi >= 10 && scan_dpi <= 10'000)) return make_error("image_invalid", "scan resolution out of range");
  Page page;
  auto t0 = std::chrono::steady_clock::now();
  // The scanner says how large the page is: its pixels at its resolution.
  // The paper's name comes from the same matching as the camera's, with
  // the "desk" being exactly the scan's width; the size stays the measured
  // one (a scan area is exact, a format's nominal size would stretch it).
  const double px_per_mm = scan_dpi / 25.4;
  const double w_mm = scan.width / px_per_mm, h_mm = scan.height / px_per_mm;
  page.outline = Quad{Pt{0, 0}, Pt{static_cast<double>(scan.width), 0},
                      Pt{static_cast<double>(scan.width), static_cast<double>(scan.height)},
                      Pt{0, static_cast<double>(scan.height)}};
  page.paper = estimate_paper(page.outline, scan.width, w_mm).name;
  page.width_mm = w_mm;
  page.height_mm = h_mm;
  page.timing.detect_ms = ms_since(t0);

  t0 = std::chrono::steady_clock::now();
  const int dpi = std::max(50, static_cast<int>(std::lround(std::min<double>(o.max_dpi, scan_dpi))));
  Image upright;
  if (dpi < scan_dpi) {
    const double f = dpi / scan_dpi;
    upright = resize(scan, std::max(16, static_cast<int>(std::lround(scan.width * f))),
                     std::max(16, static_cast<int>(std::lround(scan.height * f))));
  }
  if (o.rotate_quarters) upright = rotate_quarter(upright.empty() ? scan : upright, o.rotate_quarters);
  page.timing.warp_ms = ms_since(t0);

  BIANMIN_TRY(finish_page(page, upright.empty() ? scan : upright, page.paper, dpi, o));
  return page;
}

}  // namespace bianmin::drivers::camera
