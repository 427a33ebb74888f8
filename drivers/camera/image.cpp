#include "camera/image.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

#include "base/fs.h"
#include "camera/jpeg_codec.h"

namespace bianmin::drivers::camera {

Image to_grey(const Image& im) {
  if (im.channels == 1) return im;
  Image g = Image::make(im.width, im.height, 1);
  const std::size_t n = static_cast<std::size_t>(im.width) * static_cast<std::size_t>(im.height);
  const uint8_t* s = im.px.data();
  for (std::size_t i = 0; i < n; ++i, s += 3)
    g.px[i] = static_cast<uint8_t>((77 * s[0] + 150 * s[1] + 29 * s[2] + 128) >> 8);
  return g;
}

Image to_rgb(const Image& im) {
  if (im.channels == 3) return im;
  Image c = Image::make(im.width, im.height, 3);
  for (std::size_t i = 0; i < im.px.size(); ++i) c.px[3 * i] = c.px[3 * i + 1] = c.px[3 * i + 2] = im.px[i];
  return c;
}

Image resize(const Image& im, int w, int h) {
  if (im.empty() || w <= 0 || h <= 0) return {};
  Image out = Image::make(w, h, im.channels);
  const int C = im.channels;
  if (w <= im.width && h <= im.height) {
    // Area average: each output pixel is the mean of the source rectangle
    // it covers (integer bounds; good enough for ≥ 1.5× reductions).
    std::vector<int> x0(static_cast<std::size_t>(w) + 1), y0(static_cast<std::size_t>(h) + 1);
    for (int x = 0; x <= w; ++x) x0[static_cast<std::size_t>(x)] = static_cast<int>(static_cast<int64_t>(x) * im.width / w);
    for (int y = 0; y <= h; ++y) y0[static_cast<std::size_t>(y)] = static_cast<int>(static_cast<int64_t>(y) * im.height / h);
    std::vector<uint32_t> acc(static_cast<std::size_t>(w) * static_cast<std::size_t>(C));
    for (int y = 0; y < h; ++y) {
      std::fill(acc.begin(), acc.end(), 0u);
      const int ya = y0[static_cast<std::size_t>(y)], yb = std::max(ya + 1, y0[static_cast<std::size_t>(y) + 1]);
      for (int sy = ya; sy < yb; ++sy) {
        const uint8_t* r = im.row(sy);
        for (int x = 0; x < w; ++x) {
          const int xa = x0[static_cast<std::size_t>(x)], xb = std::max(xa + 1, x0[static_cast<std::size_t>(x) + 1]);
          for (int c = 0; c < C; ++c) {
            uint32_t s = 0;
            for (int sx = xa; sx < xb; ++sx) s += r[sx * C + c];
            acc[static_cast<std::size_t>(x * C + c)] += s;
          }
        }
      }
      uint8_t* o = out.row(y);
      for (int x = 0; x < w; ++x) {
        const int xa = x0[static_cast<std::size_t>(x)], xb = std::max(xa + 1, x0[static_cast<std::size_t>(x) + 1]);
        const uint32_t n = static_cast<uint32_t>((xb - xa) * (yb - ya));
        for (int c = 0; c < C; ++c) o[x * C + c] = static_cast<uint8_t>((acc[static_cast<std::size_t>(x * C + c)] + n / 2) / n);
      }
    }
    return out;
  }
  for (int y = 0; y < h; ++y) {
    const float fy = std::clamp((static_cast<float>(y) + 0.5f) * static_cast<float>(im.height) / static_cast<float>(h) - 0.5f, 0.f,
                                static_cast<float>(im.height - 1));
    const int ya = static_cast<int>(fy), yb = std::min(ya + 1, im.height - 1);
    const float wy = fy - static_cast<float>(ya);
    uint8_t* o = out.row(y);
    for (int x = 0; x < w; ++x) {
      const float fx = std::clamp((static_cast<float>(x) + 0.5f) * static_cast<float>(im.width) / static_cast<float>(w) - 0.5f, 0.f,
                                  static_cast<float>(im.width - 1));
      const int xa = static_cast<int>(fx), xb = std::min(xa + 1, im.width - 1);
      const float wx = fx - static_cast<float>(xa);
      for (int c = 0; c < C; ++c) {
        const float v = (1 - wy) * ((1 - wx) * im.at(xa, ya, c) + wx * im.at(xb, ya, c)) +
                        wy * ((1 - wx) * im.at(xa, yb, c) + wx * im.at(xb, yb, c));
        o[x * C + c] = static_cast<uint8_t>(v + 0.5f);
      }
    }
  }
  return out;
}

Image rotate_quarter(const Image& im, int q) {
  q = ((q % 4) + 4) % 4;
  if (q == 0) return im;
  const bool swap = q % 2 == 1;
  Image out = Image::make(swap ? im.height : im.width, swap ? im.width : im.height, im.channels);
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) {
      int nx = 0, ny = 0;
      if (q == 1) nx = im.height - 1 - y, ny = x;
      else if (q == 2) nx = im.width - 1 - x, ny = im.height - 1 - y;
      else nx = y, ny = im.width - 1 - x;
      for (int c = 0; c < im.channels; ++c) out.at(nx, ny, c) = im.at(x, y, c);
    }
  return out;
}

Image box_blur(const Image& im, int r) {
  Image out = im;
  box_blur_in_place(out, r);
  return out;
}

// Separable, with running sums; in place, so a 15 MB camera frame is
// blurred with a few rows of scratch instead of two more frames.
void box_blur_in_place(Image& im, int r) {
  if (r <= 0 || im.empty()) return;
  const int W = im.width, H = im.height, C = im.channels;
  const std::size_t stride = static_cast<std::size_t>(W) * static_cast<std::size_t>(C);
  const int n = 2 * r + 1;
  std::vector<uint8_t> line(stride);
  for (int y = 0; y < H; ++y) {
    uint8_t* d = im.row(y);
    std::copy(d, d + stride, line.begin());
    const uint8_t* s = line.data();
    for (int c = 0; c < C; ++c) {
      int acc = 0;
      for (int k = -r; k <= r; ++k) acc += s[std::clamp(k, 0, W - 1) * C + c];
      for (int x = 0; x < W; ++x) {
        d[x * C + c] = static_cast<uint8_t>((acc + n / 2) / n);
        acc += s[std::min(x + r + 1, W - 1) * C + c] - s[std::max(x - r, 0) * C + c];
      }
    }
  }
  // Vertically: the original rows y-r..y are kept in a ring of r+1 rows
  // (row y is overwritten as soon as its sum is out).
  const std::size_t ring_rows = static_cast<std::size_t>(r) + 1;
  std::vector<uint8_t> ring(ring_rows * stride);
  auto kept = [&](int i) { return ring.data() + (static_cast<std::size_t>(i) % ring_rows) * stride; };
  std::vector<int> acc(stride, 0);
  for (int k = -r; k <= r; ++k) {
    const uint8_t* s = im.row(std::clamp(k, 0, H - 1));
    for (std::size_t i = 0; i < stride; ++i) acc[i] += s[i];
  }
  for (int y = 0; y < H; ++y) {
    uint8_t* d = im.row(y);
    std::copy(d, d + stride, kept(y));
    for (std::size_t i = 0; i < stride; ++i) d[i] = static_cast<uint8_t>((acc[i] + n / 2) / n);
    const int add_row = std::min(y + r + 1, H - 1), sub_row = std::max(y - r, 0);
    const uint8_t* add = add_row <= y ? kept(add_row) : im.row(add_row);
    const uint8_t* sub = kept(sub_row);
    for (std::size_t i = 0; i < stride; ++i) acc[i] += add[i] - sub[i];
  }
}

namespace {

struct PngReader {
  std::string_view data;
  std::size_t pos = 0;
};

void png_read_cb(png_structp p, png_bytep out, png_size_t n) {
  auto* r = static_cast<PngReader*>(png_get_io_ptr(p));
  if (r->pos + n > r->data.size()) png_error(p, "truncated PNG");
  std::memcpy(out, r->data.data() + r->pos, n);
  r->pos += n;
}

void png_write_cb(png_structp p, png_bytep in, png_size_t n) {
  static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(in), n);
}
void png_flush_cb(png_structp) {}

Result<Image> decode_png(std::string_view bytes) {
  png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!p) return make_error("image_invalid", "libpng unavailable");
  png_infop info = png_create_info_struct(p);
  PngReader rd{bytes, 0};
  Image im;
  std::vector<png_bytep> rows;
  if (setjmp(png_jmpbuf(p))) {
    png_destroy_read_struct(&p, &info, nullptr);
    return make_error("image_invalid", "PNG could not be decoded");
  }
  png_set_read_fn(p, &rd, png_read_cb);
  png_read_info(p, info);
  const png_uint_32 w = png_get_image_width(p, info), h = png_get_image_height(p, info);
  if (!check_image_size(w, h)) png_error(p, "size");
  png_set_expand(p);
  png_set_strip_16(p);
  png_set_strip_alpha(p);
  png_set_packing(p);
  const int ct = png_get_color_type(p, info);
  if (ct == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(p);
  png_read_update_info(p, info);
  const int ch = png_get_channels(p, info);
  im = Image::make(static_cast<int>(w), static_cast<int>(h), ch >= 3 ? 3 : 1);
  if (ch != im.channels) png_error(p, "channels");
  rows.resize(h);
  for (png_uint_32 y = 0; y < h; ++y) rows[y] = im.row(static_cast<int>(y));
  png_read_image(p, rows.data());
  png_destroy_read_struct(&p, &info, nullptr);
  return im;
}

Result<Image> decode_pnm(std::string_view b) {
  // P5 (grey) / P6 (RGB), maxval 255, comments allowed.
  std::size_t i = 2;
  int vals[3] = {0, 0, 0};
  for (int k = 0; k < 3; ++k) {
    while (i < b.size() && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t' || b[i] == '#')) {
      if (b[i] == '#')
        while (i < b.size() && b[i] != '\n') ++i;
      else
        ++i;
    }
    int v = 0, digits = 0;
    while (i < b.size() && b[i] >= '0' && b[i] <= '9' && digits < 6) v = v * 10 + (b[i++] - '0'), ++digits;
    if (digits == 0) return make_error("image_invalid", "bad PNM header");
    vals[k] = v;
  }
  ++i;
  const int ch = b[1] == '5' ? 1 : 3;
  if (vals[2] != 255) return make_error("image_invalid", "PNM must be 8-bit");
  BIANMIN_TRY(check_image_size(vals[0], vals[1]));
  // Before allocating: the header alone must not make us reserve memory
  // that the file does not fill.
  const std::size_t need = static_cast<std::size_t>(vals[0]) * static_cast<std::size_t>(vals[1]) * static_cast<std::size_t>(ch);
  if (b.size() < i || b.size() - i < need) return make_error("image_invalid", "truncated PNM");
  Image im = Image::make(vals[0], vals[1], ch);
  std::memcpy(im.px.data(), b.data() + i, im.px.size());
  return im;
}

}  // namespace

Status check_image_size(long long width, long long height) {
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384 ||
      static_cast<unsigned long long>(width) * static_cast<unsigned long long>(height) > kMaxImagePixels)
    return make_error("image_invalid", "image of " + std::to_string(width) + " x " + std::to_string(height) +
                                           " pixels: at most 16384 a side and " +
                                           std::to_string(kMaxImagePixels / 1'000'000) + " million pixels");
  return {};
}

Result<Image> decode_image(std::string_view b) {
  if (b.size() > 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8)
    return decode_jpeg(b, 3);
  if (b.size() > 8 && b.substr(1, 3) == "PNG") return decode_png(b);
  if (b.size() > 3 && b[0] == 'P' && (b[1] == '5' || b[1] == '6')) return decode_pnm(b);
  return make_error("image_invalid", "not a JPEG, PNG or PGM/PPM image");
}

Result<Image> read_image_file(const std::string& path) {
  auto data = fs::read_file(path, 64u << 20);
  if (!data) return data.take_error();
  auto im = decode_image(*data);
  if (!im) return make_error(im.error().code, path + ": " + im.error().message);
  return im;
}

Result<std::string> encode_png(const Image& im, bool bitonal, int dpi) {
  if (im.empty()) return make_error("image_invalid", "nothing to encode");
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!p) return make_error("image_invalid", "libpng unavailable");
  png_infop info = png_create_info_struct(p);
  std::string out;
  std::vector<uint8_t> packed;
  if (setjmp(png_jmpbuf(p))) {
    png_destroy_write_struct(&p, &info);
    return make_error("image_invalid", "PNG encode failed");
  }
  png_set_write_fn(p, &out, png_write_cb, png_flush_cb);
  const bool grey = im.channels == 1;
  png_set_IHDR(p, info, static_cast<png_uint_32>(im.width), static_cast<png_uint_32>(im.height), bitonal ? 1 : 8,
               grey || bitonal ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (dpi > 0) {
    const auto ppm = static_cast<png_uint_32>(std::lround(dpi / 0.0254));
    png_set_pHYs(p, info, ppm, ppm, PNG_RESOLUTION_METER);
  }
  png_set_compression_level(p, 9);
  png_write_info(p, info);
  if (bitonal) {
    const Image g = to_grey(im);
    packed.assign((static_cast<std::size_t>(im.width) + 7) / 8, 0);
    for (int y = 0; y < im.height; ++y) {
      std::fill(packed.begin(), packed.end(), 0);
      const uint8_t* r = g.row(y);
      for (int x = 0; x < im.width; ++x)
        if (r[x] >= 128) packed[static_cast<std::size_t>(x) / 8] |= static_cast<uint8_t>(0x80 >> (x % 8));
      png_write_row(p, packed.data());
    }
  } else {
    for (int y = 0; y < im.height; ++y) png_write_row(p, const_cast<png_bytep>(im.row(y)));
  }
  png_write_end(p, info);
  png_destroy_write_struct(&p, &info);
  return out;
}

Status write_file(const std::string& path, std::string_view bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return make_error("io_error", "cannot write " + path);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) return make_error("io_error", "cannot write " + path);
  return {};
}

}  // namespace bianmin::drivers::camera
