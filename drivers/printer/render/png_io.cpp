// PNG files through libpng: 8-bit grey out, anything libpng reads in
// (converted to 8-bit grey) for the tests that decode rendered receipts.
#include <png.h>

#include <cstdio>
#include <memory>

#include "printer/render/paper.h"

namespace bianmin::drivers::printer {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { if (f) std::fclose(f); }
};

}  // namespace

Status write_png(const std::string& path, const GrayImage& img) {
  std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "wb"));
  if (!f) return make_error("io_error", "cannot create " + path);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_write_struct(&png, &info);
    return make_error("io_error", "libpng could not start");
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return make_error("io_error", "writing " + path + " failed");
  }
  png_init_io(png, f.get());
  png_set_IHDR(png, info, static_cast<png_uint_32>(img.width), static_cast<png_uint_32>(img.height), 8,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  // 203 dpi = 7992 dots per metre: viewers show the slip at paper size.
  png_set_pHYs(png, info, 7992, 7992, PNG_RESOLUTION_METER);
  png_write_info(png, info);
  for (int y = 0; y < img.height; ++y)
    png_write_row(png, const_cast<png_bytep>(img.pixels.data() + static_cast<std::size_t>(y) * img.width));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return {};
}

Result<GrayImage> read_png(const std::string& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str()))
    return make_error("input_invalid", path + ": not a PNG: " + image.message);
  image.format = PNG_FORMAT_GRAY;
  GrayImage out;
  out.width = static_cast<int>(image.width);
  out.height = static_cast<int>(image.height);
  out.pixels.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)) {
    png_image_free(&image);
    return make_error("input_invalid", path + ": " + image.message);
  }
  return out;
}

}  // namespace bianmin::drivers::printer
