#include "thumbnails.h"

#include <algorithm>

#include "base/bytes.h"
#include "base/log.h"
#include "camera/image.h"
#include "camera/jpeg_codec.h"
#include "gl.h"

namespace bianmin::ui {
namespace {

// A page (JPEG, or PNG for bitonal pages) as an RGB picture of at most
// `side` pixels; JPEG is reduced in the IDCT already (1/8: a 300 dpi A4
// page decodes to about 310 × 440 in a few milliseconds).
Result<drivers::camera::Image> small_picture(const outbox::MaterialFile& page, int side) {
  using drivers::camera::Image;
  Image im;
  if (page.mime == "image/jpeg") {
    BIANMIN_ASSIGN(im, drivers::camera::decode_jpeg(page.bytes, 3, 8, true));
  } else {
    BIANMIN_ASSIGN(im, drivers::camera::decode_image(page.bytes));
  }
  if (im.channels == 1) {
    Image rgb = Image::make(im.width, im.height, 3);
    for (std::size_t i = 0; i < im.px.size(); ++i) std::fill_n(rgb.px.begin() + static_cast<std::ptrdiff_t>(i * 3), 3, im.px[i]);
    secure_wipe(im.px);
    im = std::move(rgb);
  }
  const double k = std::min(1.0, static_cast<double>(side) / std::max(im.width, im.height));
  if (k < 1.0) {
    Image small = drivers::camera::resize(im, std::max(1, static_cast<int>(im.width * k)), std::max(1, static_cast<int>(im.height * k)));
    secure_wipe(im.px);
    im = std::move(small);
  }
  return im;
}

}  // namespace

void Thumbnails::sync(const session::ApplicationState& app) {
  // Pages are only appended, or the last of a material removed: keep the
  // common prefix, rebuild from the first difference.
  std::size_t same = 0;
  while (same < thumbs_.size() && same < app.pages.size() && sources_[same] == app.pages[same].bytes.data() &&
         thumbs_[same].material_id == app.pages[same].material_id)
    ++same;
  for (std::size_t i = same; i < thumbs_.size(); ++i) gl::delete_texture(thumbs_[i].texture);
  thumbs_.resize(same);
  sources_.resize(same);
  for (std::size_t i = same; i < app.pages.size(); ++i) {
    const auto& page = app.pages[i];
    Thumbnail t;
    t.material_id = page.material_id;
    if (auto im = small_picture(page, kMaxSide)) {
      t.width = im->width;
      t.height = im->height;
      t.texture = gl::create_rgb_texture(im->width, im->height, im->px.data());
      secure_wipe(im->px);
    } else {
      log::warn("ui", "page thumbnail", {{"error", im.error().code}});
    }
    thumbs_.push_back(std::move(t));
    sources_.push_back(page.bytes.data());
  }
}

void Thumbnails::clear() {
  for (auto& t : thumbs_) gl::delete_texture(t.texture);
  thumbs_.clear();
  sources_.clear();
}

}  // namespace bianmin::ui
