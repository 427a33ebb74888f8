// Camera benchmark (run by hand; numbers go to README "Measured"):
//  1. the page pipeline on 2592×1944 photographs of pages: ms per page,
//     with the JPEG decode of the still and each stage;
//  2. QR decoding on 1280×720 and 1920×1080 preview frames (a phone or a
//     printed receipt held under the camera, rotated, shadowed, noisy):
//     success rate, ms per frame and decodes per second on one core, for
//     ZXing-cpp (what the terminal uses) and, on the very same frames in
//     the same run, zbar (the reference).
//
//   bench_camera [--frames N] [--pages N]
#include <zbar.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "camera/code_reader.h"
#include "camera/jpeg_codec.h"
#include "camera/page_pipeline.h"
#include "camera/sim_scene.h"

using namespace bianmin::drivers::camera;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stat {
  int ok = 0, n = 0;
  double total_ms = 0;
  std::vector<double> each;
  void add(bool hit, double t) {
    ok += hit;
    ++n;
    total_ms += t;
    each.push_back(t);
  }
  double mean() const { return n ? total_ms / n : 0; }
  double p95() const {
    if (each.empty()) return 0;
    auto v = each;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(0.95 * static_cast<double>(v.size())))];
  }
};

}  // namespace

int main(int argc, char** argv) {
  int frames = 12, pages = 6;
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--frames")) frames = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--pages")) pages = std::atoi(argv[++i]);
  }

  // 1. Page pipeline at 2592×1944.
  const char* kinds[] = {"form", "text", "certificate", "idcard"};
  Stat decode_s, total_s;
  double detect = 0, warp = 0, enhance = 0, encode = 0;
  std::size_t bytes = 0;
  for (int i = 0; i < pages; ++i) {
    SceneOptions o;
    o.kind = *parse_page_kind(kinds[i % 4]);
    o.seed = static_cast<uint64_t>(100 + i);
    auto sc = synthesize_scene(o);
    if (!sc) return std::fprintf(stderr, "%s\n", sc.error().message.c_str()), 1;
    auto still = encode_jpeg(sc->frame, 92);
    const auto t0 = Clock::now();
    auto frame = decode_jpeg(*still, 3);
    const auto t1 = Clock::now();
    auto page = process_page(*frame);
    const auto t2 = Clock::now();
    if (!page) return std::fprintf(stderr, "%s\n", page.error().message.c_str()), 1;
    decode_s.add(true, ms(t1 - t0));
    total_s.add(page->outline_found, ms(t2 - t1));
    detect += page->timing.detect_ms, warp += page->timing.warp_ms, enhance += page->timing.enhance_ms,
        encode += page->timing.encode_ms;
    bytes += page->bytes.size();
  }
  std::printf("page pipeline, 2592x1944 stills, %d pages (form, text, certificate, ID card), one core:\n", pages);
  std::printf("  %.0f ms/page (p95 %.0f) + %.0f ms JPEG decode of the still; outline found %d/%d; mean %zu bytes\n",
              total_s.mean(), total_s.p95(), decode_s.mean(), total_s.ok, total_s.n, bytes / static_cast<std::size_t>(pages));
  std::printf("  stages: detect %.0f, warp %.0f, enhance %.0f, encode %.0f ms\n\n", detect / pages, warp / pages,
              enhance / pages, encode / pages);

  // 2. QR decoding, ZXing-cpp vs zbar on the same frames.
  const std::string url = "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA";
  CodeReaderOptions ro;
  ro.formats = "QRCode";
  auto reader = CodeReader::create(ro);
  CodeReaderOptions ro_all;  // the CLI's default set
  auto reader_all = CodeReader::create(ro_all);
  zbar::zbar_image_scanner_t* zs = zbar::zbar_image_scanner_create();
  zbar::zbar_image_scanner_set_config(zs, zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  zbar::zbar_image_scanner_set_config(zs, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  std::printf("QR decoding on preview frames (%d frames per size: phone screens and printed receipts, rotated up to 30 deg,\n"
              "shadow, noise; each decoder sees the same grey frames, decoded from MJPEG as from the camera), one core:\n",
              frames);
  std::printf("  %-10s %-26s %8s %10s %10s %12s\n", "frame", "decoder", "read", "ms/frame", "p95 ms", "decodes/s");
  for (auto [w, h] : {std::pair{1280, 720}, std::pair{1920, 1080}}) {
    std::vector<Image> grey;
    for (int i = 0; i < frames; ++i) {
      SceneOptions o;
      o.kind = i % 2 ? PageKind::phone : PageKind::form;
      o.seed = static_cast<uint64_t>(500 + i);
      o.width = w;
      o.height = h;
      o.qr_text = url;
      o.noise = 5;
      auto sc = synthesize_scene(o);
      auto mj = encode_jpeg(sc->frame, 80);
      grey.push_back(*decode_jpeg(*mj, 1));
    }
    Stat zx, zx_all, zb;
    for (int rep = 0; rep < 3; ++rep)
      for (const auto& g : grey) {
        auto t0 = Clock::now();
        auto r = reader->read(g);
        zx.add(!r.empty() && r[0].text == url, ms(Clock::now() - t0));
        t0 = Clock::now();
        auto r2 = reader_all->read(g);
        zx_all.add(!r2.empty() && r2[0].text == url, ms(Clock::now() - t0));
        t0 = Clock::now();
        zbar::zbar_image_t* zi = zbar::zbar_image_create();
        zbar::zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
        zbar::zbar_image_set_size(zi, static_cast<unsigned>(g.width), static_cast<unsigned>(g.height));
        zbar::zbar_image_set_data(zi, g.px.data(), g.px.size(), nullptr);
        const int n = zbar::zbar_scan_image(zs, zi);
        bool hit = false;
        if (n > 0)
          for (const zbar::zbar_symbol_t* s = zbar::zbar_image_first_symbol(zi); s; s = zbar::zbar_symbol_next(s))
            hit = hit || url == zbar::zbar_symbol_get_data(s);
        zbar::zbar_image_destroy(zi);
        zb.add(hit, ms(Clock::now() - t0));
      }
    char size[16];
    std::snprintf(size, sizeof size, "%dx%d", w, h);
    auto row = [&](const char* name, const Stat& s) {
      std::printf("  %-10s %-26s %4d/%-3d %10.1f %10.1f %12.1f\n", size, name, s.ok, s.n, s.mean(), s.p95(), 1000.0 / s.mean());
    };
    row("ZXing-cpp 1.4 (QRCode)", zx);
    row("ZXing-cpp 1.4 (QR+EAN+128)", zx_all);
    row("zbar 0.23 (QR only)", zb);
  }
  zbar::zbar_image_scanner_destroy(zs);
  return 0;
}
