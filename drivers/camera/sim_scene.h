// Synthetic "photographs" of paper on a desk, as a document camera (高拍仪)
// sees them: a page (text, a form, an ID-card-sized card, a certificate
// with photo and seal, or a phone showing a QR code) drawn at its physical
// size, placed on a textured desk with rotation, perspective, uneven light,
// a shadow, reduced contrast, optics blur and sensor noise. Deterministic
// for a seed, so tests and benchmarks see the same frames every run, and
// the true page corners and the clean page come along for checking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "camera/geometry.h"
#include "camera/image.h"

namespace bianmin::drivers::camera {

enum class PageKind { text, form, idcard, certificate, phone };
std::optional<PageKind> parse_page_kind(std::string_view s);
const char* page_kind_name(PageKind k);

struct SceneOptions {
  PageKind kind = PageKind::form;
  uint64_t seed = 1;
  int width = 2592, height = 1944;
  double desk_width_mm = 500;              // what the camera covers across at the desk (A3 with margin)
  std::optional<double> rotation_deg;      // else uniform in ±max_rotation_deg
  double max_rotation_deg = 30;
  double perspective = 0.12;               // keystone strength, 0 = camera straight above
  double shadow = 0.4;                     // darkness of a soft shadow across the frame, 0 = none
  double uneven_light = 0.35;              // gradient + vignette strength
  double contrast = 1.0;                   // < 1: washed out (0.45 is very low)
  double noise = 4.0;                      // sensor noise, standard deviation in levels
  std::string qr_text;                     // a QR code on the page (phone: on the screen)
};

struct Scene {
  Image frame;             // RGB, width × height
  Quad corners;            // the page's corners in the frame (TL, TR, BR, BL of the upright page)
  Image page;              // the clean page as drawn (RGB)
  double page_w_mm = 0, page_h_mm = 0;
  double px_per_mm = 0;    // camera scale at the desk (before perspective)
  double rotation_deg = 0;
};

Result<Scene> synthesize_scene(const SceneOptions& o);

// Only the page, at `px_per_mm` (8 ≈ 203 dpi).
Result<Image> render_page(PageKind kind, uint64_t seed, const std::string& qr_text, double px_per_mm,
                          double* w_mm, double* h_mm);

// Parses "KIND[,seed=N][,rot=DEG][,persp=X][,shadow=X][,light=X][,contrast=X][,noise=X][,qr=TEXT][,size=WxH]"
// (the simulated camera's sim:synth:… spec). qr= must come last: it takes the rest.
Result<SceneOptions> parse_scene_spec(std::string_view spec);

// The simulator's random numbers (splitmix64): the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
  double gauss();

 private:
  uint64_t s_;
  bool have_ = false;
  double spare_ = 0;
};

}  // namespace bianmin::drivers::camera
