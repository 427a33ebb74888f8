// Writes before/after sample pairs of the page pipeline into a directory
// (tests/drivers/camera/samples/ keeps a committed set): the simulated
// camera frame (reduced to half size to keep the repository small) and the
// page the pipeline made of it.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "camera/jpeg_codec.h"
#include "camera/page_pipeline.h"
#include "camera/sim_scene.h"

using namespace bianmin::drivers::camera;

int main(int argc, char** argv) {
  // camera_samples --png IN OUT [MAXW]: a PNG copy to look at.
  if (argc >= 4 && std::string(argv[1]) == "--png") {
    auto im = read_image_file(argv[2]);
    if (!im) return std::fprintf(stderr, "%s\n", im.error().message.c_str()), 1;
    const int maxw = argc > 4 ? std::atoi(argv[4]) : 1200;
    Image v = *im;
    if (v.width > maxw) v = resize(v, maxw, v.height * maxw / v.width);
    auto png = encode_png(v);
    return png && write_file(argv[3], *png) ? 0 : 1;
  }
  const std::string dir = argc > 1 ? argv[1] : ".";
  struct Case {
    const char* name;
    const char* spec;
  } cases[] = {
      {"form-rot25-shadow", "form,seed=3,rot=25,shadow=0.45,persp=0.15"},
      {"text-rot-30-lowcontrast", "text,seed=5,rot=-30,contrast=0.45,shadow=0.3"},
      {"idcard-rot12", "idcard,seed=7,rot=12,persp=0.1"},
      {"certificate-rot-8-persp", "certificate,seed=11,rot=-8,persp=0.2,shadow=0.35"},
      {"form-qr-rot18", "form,seed=13,rot=18,qr=https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA"},
  };
  for (const auto& c : cases) {
    auto o = parse_scene_spec(c.spec);
    if (!o) return std::fprintf(stderr, "%s\n", o.error().message.c_str()), 1;
    auto sc = synthesize_scene(*o);
    if (!sc) return std::fprintf(stderr, "%s\n", sc.error().message.c_str()), 1;
    auto before = encode_jpeg(resize(sc->frame, sc->frame.width / 2, sc->frame.height / 2), 80);
    auto page = process_page(sc->frame);
    if (!before || !page) return std::fprintf(stderr, "failed\n"), 1;
    (void)write_file(dir + "/" + c.name + "-before.jpg", *before);
    (void)write_file(dir + "/" + c.name + "-after." + (page->mime == "image/png" ? "png" : "jpg"), page->bytes);
    std::printf("%-28s outline=%d paper=%-5s %dx%d dpi=%d q=%d bytes=%zu colour=%d  detect %.0f warp %.0f enhance %.0f encode %.0f ms\n",
                c.name, page->outline_found, page->paper.c_str(), page->width, page->height, page->dpi, page->quality,
                page->bytes.size(), page->colour, page->timing.detect_ms, page->timing.warp_ms,
                page->timing.enhance_ms, page->timing.encode_ms);
  }
  return 0;
}
