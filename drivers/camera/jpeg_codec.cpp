#include "camera/jpeg_codec.h"

#include <turbojpeg.h>

#include <memory>

namespace bianmin::drivers::camera {
namespace {

struct TjHandle {
  tjhandle h;
  explicit TjHandle(tjhandle x) : h(x) {}
  ~TjHandle() {
    if (h) tjDestroy(h);
  }
  TjHandle(const TjHandle&) = delete;
  TjHandle& operator=(const TjHandle&) = delete;
};

// One decompressor and one compressor per thread: creating them costs more
// than decoding a small preview frame.
tjhandle decompressor() {
  thread_local TjHandle h(tjInitDecompress());
  return h.h;
}
tjhandle compressor() {
  thread_local TjHandle h(tjInitCompress());
  return h.h;
}

Error tj_error(tjhandle h, const char* what) {
  return make_error("image_invalid", std::string(what) + ": " + tjGetErrorStr2(h));
}

const auto* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Result<JpegInfo> jpeg_info(std::string_view jpeg) {
  tjhandle h = decompressor();
  if (!h) return make_error("image_invalid", "TurboJPEG unavailable");
  int w = 0, ht = 0, sub = 0, cs = 0;
  if (jpeg.size() > 0x7FFFFFFF ||
      tjDecompressHeader3(h, bytes_of(jpeg), static_cast<unsigned long>(jpeg.size()), &w, &ht, &sub, &cs) != 0)
    return tj_error(h, "JPEG header");
  BIANMIN_TRY(check_image_size(w, ht));
  return JpegInfo{w, ht, cs == TJCS_GRAY};
}

Result<Image> decode_jpeg(std::string_view jpeg, int channels, int scale_denom, bool fast) {
  BIANMIN_ASSIGN(JpegInfo info, jpeg_info(jpeg));
  tjhandle h = decompressor();
  const tjscalingfactor sf{1, scale_denom < 1 ? 1 : scale_denom};
  const int w = TJSCALED(info.width, sf), ht = TJSCALED(info.height, sf);
  Image im = Image::make(w, ht, channels == 1 ? 1 : 3);
  const int flags = fast ? (TJFLAG_FASTDCT | TJFLAG_FASTUPSAMPLE) : 0;
  if (tjDecompress2(h, bytes_of(jpeg), static_cast<unsigned long>(jpeg.size()), im.px.data(), w, 0, ht,
                    channels == 1 ? TJPF_GRAY : TJPF_RGB, flags) != 0) {
    // A warning (e.g. a truncated MJPEG frame) still gives a usable image;
    // an error does not.
    if (tjGetErrorCode(h) == TJERR_FATAL) return tj_error(h, "JPEG decode");
  }
  return im;
}

Result<std::string> encode_jpeg(const Image& im, int quality, int dpi) {
  if (im.empty() || (im.channels != 1 && im.channels != 3)) return make_error("image_invalid", "nothing to encode");
  tjhandle h = compressor();
  if (!h) return make_error("image_invalid", "TurboJPEG unavailable");
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  const bool grey = im.channels == 1;
  if (tjCompress2(h, im.px.data(), im.width, 0, im.height, grey ? TJPF_GRAY : TJPF_RGB, &buf, &size,
                  grey ? TJSAMP_GRAY : TJSAMP_420, quality, 0) != 0) {
    if (buf) tjFree(buf);
    return tj_error(h, "JPEG encode");
  }
  std::string out(reinterpret_cast<const char*>(buf), size);
  tjFree(buf);
  // JFIF APP0 (FF D8 FF E0 len 'JFIF\0' ver units Xdensity Ydensity): set
  // the density in dots per inch.
  if (dpi > 0 && dpi < 65536 && out.size() > 18 && static_cast<unsigned char>(out[2]) == 0xFF &&
      static_cast<unsigned char>(out[3]) == 0xE0 && out.compare(6, 5, std::string("JFIF\0", 5)) == 0) {
    out[13] = 1;
    out[14] = static_cast<char>(dpi >> 8);
    out[15] = static_cast<char>(dpi & 0xFF);
    out[16] = static_cast<char>(dpi >> 8);
    out[17] = static_cast<char>(dpi & 0xFF);
  }
  return out;
}

}  // namespace bianmin::drivers::camera
