#include "central/enrol_qr_png.h"

#include "printer/qr_matrix.h"
#include "printer/render/paper.h"

namespace bianmin::sync::central {

Status write_enrol_qr_png(const std::string& path, const std::string& payload, int module_px) {
  // Level M: a work order gets folded and smudged; the payload is short.
  BIANMIN_ASSIGN(auto modules, drivers::printer::qr_matrix(payload, drivers::printer::QrEc::M));
  constexpr int kQuietModules = 4;  // ISO/IEC 18004: four modules of light margin
  const int side = (modules.width + 2 * kQuietModules) * module_px;
  drivers::printer::GrayImage img{side, side, std::vector<uint8_t>(static_cast<std::size_t>(side) * side, 255)};
  for (int y = 0; y < modules.height; ++y)
    for (int x = 0; x < modules.width; ++x) {
      if (!modules.get(x, y)) continue;
      for (int dy = 0; dy < module_px; ++dy)
        for (int dx = 0; dx < module_px; ++dx) {
          const int px = (x + kQuietModules) * module_px + dx, py = (y + kQuietModules) * module_px + dy;
          img.pixels[static_cast<std::size_t>(py) * side + px] = 0;
        }
    }
  return drivers::printer::write_png(path, img);
}

}  // namespace bianmin::sync::central
