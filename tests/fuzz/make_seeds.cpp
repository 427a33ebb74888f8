// Writes the generated seeds of the fuzz corpora (run by hand after a
// change to a target's input layout; the output is committed):
//
//   make_fuzz_seeds tests/fuzz/corpus
//
//   usb_framing/   descriptors of both reader wirings, then responses in
//                  the packet splits a real reader uses
//   camera_frame/  tiny MJPEG frames made by our own encoder (with and
//                  without Huffman tables, truncated), YUYV frames, files
//   code_image/    small grey pictures of each code family ZXing reads,
//                  drawn by ZXing's writer
//   sane_frame/    SANE frames: grey, RGB, padded lines, lineart, 16-bit,
//                  unknown height, truncated, three-pass planes
//   JSON and TOML corpora: nesting seeds (100,000 levels: the guards must
//                  refuse them in linear time; 64 and 65 levels around a
//                  real document: the limit's both sides)
//
// Seeds stay below 1 MiB each (libFuzzer's -max_len of the campaigns) and
// are repetitive, so git stores them in a few kilobytes.
#define ZX_USE_UTF8
#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "camera/code_reader.h"
#include "camera/image.h"
#include "camera/jpeg_codec.h"
#include "idcard/protocol.h"

namespace fs = std::filesystem;
namespace cam = bianmin::drivers::camera;
namespace idc = bianmin::drivers::idcard;

namespace {

fs::path g_root;
int g_written = 0;

void put(const std::string& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(g_root / dir);
  std::ofstream(g_root / dir / name, std::ios::binary | std::ios::trunc) << bytes;
  ++g_written;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string le16(int v) { return {static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF)}; }

// ---- usb_framing: see the input layout in usb_framing.cpp.

std::string endpoint(uint8_t address, uint8_t attributes, int max_packet) {
  return std::string{static_cast<char>(address), static_cast<char>(attributes)} + le16(max_packet);
}

// One IN transfer of `bytes` (a short transfer: its length below 0xC0).
std::string transfer(const idc::Bytes& bytes, std::size_t from, std::size_t n) {
  std::string out(1, static_cast<char>(n));
  out.append(bytes.begin() + static_cast<long>(from), bytes.begin() + static_cast<long>(from + n));
  return out;
}

void usb_framing_seeds() {
  constexpr uint8_t kBulk = 2, kInterrupt = 3;
  const idc::Bytes find_ok = idc::build_response(idc::sw3::kFindOk, {}, 0, 0);
  const idc::Bytes text(256, 0x20);
  const idc::Bytes base_info = idc::build_response(idc::sw3::kSuccess, text);
  // The SAM module's own wiring: one interface, 0x02/0x06 out, 0x81/0x85 in.
  const std::string sam = std::string("\x01\x00\x00\x04", 4) + endpoint(0x02, kBulk, 64) + endpoint(0x06, kBulk, 64) +
                          endpoint(0x81, kBulk, 64) + endpoint(0x85, kBulk, 64);
  // Header on 0x81 (7 bytes), body on 0x85.
  put("usb_framing", "sam4-find-ok.bin", sam + transfer(find_ok, 0, 7) + transfer(find_ok, 7, find_ok.size() - 7));
  // A reader that sends header and body together on the header endpoint.
  put("usb_framing", "sam4-header-with-body.bin", sam + transfer(find_ok, 0, find_ok.size()));
  // A long body in 64-byte packets, then garbage on the header endpoint.
  std::string longer = sam + transfer(base_info, 0, 7);
  for (std::size_t at = 7; at < base_info.size(); at += 64)
    longer += transfer(base_info, at, std::min<std::size_t>(64, base_info.size() - at));
  put("usb_framing", "sam4-base-info.bin", longer + std::string("\x07\x55\x55\x55\x55\x55\x55\x55", 8));
  // A vendor-class interface with an interrupt IN and a bulk OUT, after a
  // HID interface the layout must pass over.
  const std::string pair = std::string("\x02\x00\x03\x01", 4) + endpoint(0x83, kInterrupt, 8) +
                           std::string("\x00\xff\x02", 3) + endpoint(0x81, kInterrupt, 64) + endpoint(0x01, kBulk, 64);
  put("usb_framing", "pair-find-ok.bin", pair + transfer(find_ok, 0, find_ok.size()));
  // Whole packets (0xC0 + n - 1 = n packets) of a long response.
  put("usb_framing", "pair-base-info-packets.bin",
      pair + std::string(1, static_cast<char>(0xC4)) + std::string(base_info.begin(), base_info.end()));
  // No usable interface: only classes are listed.
  put("usb_framing", "no-layout.bin", std::string("\x03\x02\x08\x02", 4) + endpoint(0x81, kBulk, 512) +
                                          endpoint(0x02, kBulk, 512) + std::string("\x0e\x00\x01\x00\x01\x00", 6));
}

// ---- camera_frame: see the input layout in camera_frame.cpp.

cam::Image gradient(int w, int h, int channels) {
  cam::Image im = cam::Image::make(w, h, channels);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c) im.at(x, y, c) = static_cast<uint8_t>((x * 16 + y * 8 + c * 80) & 0xFF);
  return im;
}

std::string frame_header(uint8_t mode, int w, int h) { return std::string(1, static_cast<char>(mode)) + le16(w) + le16(h); }

// UVC cameras leave out the DHT segments (the decoder uses the standard
// tables of the JPEG spec, annex K): the same frame without them.
std::string without_huffman_tables(const std::string& jpeg) {
  std::string out = jpeg.substr(0, 2);
  std::size_t at = 2;
  while (at + 4 <= jpeg.size() && static_cast<unsigned char>(jpeg[at]) == 0xFF) {
    const auto marker = static_cast<unsigned char>(jpeg[at + 1]);
    const std::size_t len = (static_cast<std::size_t>(static_cast<unsigned char>(jpeg[at + 2])) << 8) |
                            static_cast<unsigned char>(jpeg[at + 3]);
    if (marker == 0xDA) break;  // start of scan: entropy-coded data follows
    if (marker != 0xC4) out += jpeg.substr(at, 2 + len);
    at += 2 + len;
  }
  return out + jpeg.substr(at);
}

// The same JPEG with its start-of-frame header claiming `side` × `side`.
std::string claiming(std::string jpeg, int side) {
  const auto sof = jpeg.find("\xFF\xC0");
  for (std::size_t at : {sof + 5, sof + 7}) {
    jpeg[at] = static_cast<char>(side >> 8);
    jpeg[at + 1] = static_cast<char>(side & 0xFF);
  }
  return jpeg;
}

void camera_frame_seeds() {
  enum : uint8_t { kMjpeg = 0, kYuyv = 1, kFile = 2, kRgb = 4, kHalf = 1 << 3, kQuarter = 2 << 3 };
  const std::string grey = *cam::encode_jpeg(gradient(16, 16, 1), 75);
  const std::string rgb = *cam::encode_jpeg(gradient(16, 8, 3), 75);
  put("camera_frame", "mjpeg-grey-16x16.bin", frame_header(kMjpeg, 16, 16) + grey);
  put("camera_frame", "mjpeg-rgb-16x8-half.bin", frame_header(kMjpeg | kRgb | kHalf, 16, 8) + rgb);
  put("camera_frame", "mjpeg-no-dht.bin", frame_header(kMjpeg | kRgb, 16, 8) + without_huffman_tables(rgb));
  put("camera_frame", "mjpeg-truncated.bin", frame_header(kMjpeg, 16, 8) + rgb.substr(0, rgb.size() * 2 / 3));
  // Headers that claim far more than the mode or the bytes hold: refused
  // before the decoder reserves the picture (805 MB for 16384 × 16384 RGB).
  put("camera_frame", "regress-mjpeg-larger-than-mode.bin", frame_header(kMjpeg | kRgb, 16, 16) + claiming(grey, 4096));
  put("camera_frame", "regress-mjpeg-claims-16384.bin", frame_header(kMjpeg | kRgb, 16, 16) + claiming(grey, 16384));
  put("camera_frame", "regress-file-jpeg-claims-16384.bin", frame_header(kFile | kRgb, 0, 0) + claiming(grey, 16384));
  put("camera_frame", "regress-file-ppm-claims-16384.bin", frame_header(kFile | kRgb, 0, 0) + "P6\n16384 16384\n255\n" + std::string(64, '\x7f'));
  // A light page on a dark desk: what the camera sees most.
  cam::Image desk = cam::Image::make(48, 32, 3, 40);
  for (int y = 6; y < 27; ++y)
    for (int x = 10; x < 40; ++x)
      for (int c = 0; c < 3; ++c) desk.at(x, y, c) = 230;
  put("camera_frame", "mjpeg-page-on-desk.bin", frame_header(kMjpeg | kRgb, 48, 32) + *cam::encode_jpeg(desk, 80));
  // YUYV: Y0 U Y1 V per two pixels.
  std::string yuyv;
  for (int i = 0; i < 8 * 4 / 2; ++i) yuyv += std::string{static_cast<char>(16 + i * 10), static_cast<char>(90), static_cast<char>(200 - i * 5), static_cast<char>(240)};
  put("camera_frame", "yuyv-8x4-grey.bin", frame_header(kYuyv, 8, 4) + yuyv);
  put("camera_frame", "yuyv-8x4-rgb.bin", frame_header(kYuyv | kRgb, 8, 4) + yuyv);
  put("camera_frame", "yuyv-8xN-rgb-quarter.bin", frame_header(kYuyv | kRgb | kQuarter, 8, 0) + yuyv);
  // Image files: PGM and PNG (our encoder).
  put("camera_frame", "file-pgm.bin", frame_header(kFile, 0, 0) + "P5\n# seed\n4 2\n255\n" + std::string("\x00\x40\x80\xc0\xff\x80\x40\x00", 8));
  put("camera_frame", "file-png.bin", frame_header(kFile | kRgb, 0, 0) + *cam::encode_png(gradient(8, 4, 3)));
  put("camera_frame", "file-png-bitonal.bin", frame_header(kFile, 0, 0) + *cam::encode_png(gradient(9, 3, 1), true, 200));
}

// ---- code_image: see the input layout in code_image.cpp.

cam::Image draw(ZXing::BarcodeFormat format, const std::string& text, int w, int h, int margin) {
  ZXing::MultiFormatWriter writer(format);
  writer.setMargin(margin);
  writer.setEncoding(ZXing::CharacterSet::UTF8);  // the default, ISO-8859-1, cannot hold Chinese
  const ZXing::BitMatrix m = writer.encode(text, w, h);
  cam::Image im = cam::Image::make(m.width(), m.height(), 1, 255);
  for (int y = 0; y < m.height(); ++y)
    for (int x = 0; x < m.width(); ++x)
      if (m.get(x, y)) im.at(x, y) = 0;
  return im;
}

// Format sets as numbered in code_image.cpp.
const char* const kSets[4] = {"QRCode,EAN-13,EAN-8,Code128", "QRCode",
                              "EAN-13,EAN-8,UPC-A,UPC-E,Code39,Code93,Code128,ITF,Codabar",
                              "DataMatrix"};

void code_seed(const std::string& name, int set, bool try_harder, const cam::Image& im) {
  const uint8_t opts = static_cast<uint8_t>((try_harder ? 1 : 0) | (set << 2));
  put("code_image", name, std::string(1, static_cast<char>(opts)) + le16(im.width) +
                              std::string(reinterpret_cast<const char*>(im.px.data()), im.px.size()));
  // A seed ZXing cannot read explores nothing past the detector: say so.
  cam::CodeReaderOptions o;
  o.formats = kSets[set];
  o.try_harder = try_harder;
  const auto found = cam::CodeReader::create(o)->read(im);
  std::printf("code_image/%s: %dx%d, %s\n", name.c_str(), im.width, im.height,
              found.empty() ? "NOT READ" : (found[0].format + " \"" + found[0].text + "\"").c_str());
}

void code_image_seeds() {
  using F = ZXing::BarcodeFormat;
  const std::string url = "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA";
  // One pixel a module (the writer's natural size) keeps seeds small;
  // ZXing still reads it. The second at two pixels a module, sharp edges.
  code_seed("qr-receipt-url.bin", 0, true, draw(F::QRCode, url, 0, 0, 2));
  code_seed("qr-receipt-url-2x.bin", 0, false, draw(F::QRCode, url, 74, 74, 2));
  code_seed("qr-chinese.bin", 1, true, draw(F::QRCode, "便民服务中心 综合窗口 K03", 0, 0, 2));
  code_seed("ean13.bin", 0, true, draw(F::EAN13, "6901234567892", 220, 12, 10));
  code_seed("code128.bin", 0, false, draw(F::Code128, "K03-20261122-0042", 360, 10, 10));
  code_seed("code39.bin", 2, true, draw(F::Code39, "BIANMIN-42", 300, 10, 10));
  code_seed("itf.bin", 2, true, draw(F::ITF, "12345678", 200, 10, 10));
  code_seed("codabar.bin", 2, true, draw(F::Codabar, "A40156B", 200, 10, 10));
  code_seed("datamatrix.bin", 3, true, draw(F::DataMatrix, "K03-20261122-0042", 64, 64, 4));
  code_seed("blank.bin", 0, true, cam::Image::make(16, 16, 1, 255));
}

// ---- nesting: the JSON and TOML corpora.

std::vector<std::pair<std::string, std::string>> files_of(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : fs::directory_iterator(g_root / dir)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name.rfind("nest-", 0) == 0) continue;
    std::ifstream f(e.path(), std::ios::binary);
    out.emplace_back(name, std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// `prefix` is the parser selector byte of the multi-parser targets.
void json_nesting_seeds(const std::string& dir, const std::string& prefix) {
  constexpr int kDeep = 100000;
  put(dir, "nest-array-100k.json", prefix + repeat("[", kDeep) + repeat("]", kDeep));
  put(dir, "nest-object-100k.json", prefix + repeat("{\"a\":", kDeep) + "0" + repeat("}", kDeep));
  // Unclosed: the guard must stop at the limit, not scan to the end first.
  put(dir, "nest-open-100k.json", prefix + repeat("[{\"k\":", kDeep / 2));
  // Brackets inside strings (escaped quotes too) do not nest.
  put(dir, "nest-in-strings.json",
      prefix + "[\"" + repeat("[{", 500) + "\", \"\\\"" + repeat("[", 500) + "\", {\"\\\\\": \"}]}\"}]");
  // A real document with an extra member nested to exactly the limit (64
  // levels in all: accepted by the guard, then walked by the parser) and
  // one level past it (refused).
  for (const auto& [name, text] : files_of(dir)) {
    const std::size_t close = text.rfind('}');
    if (close == std::string::npos || name.find(".json") == std::string::npos) continue;
    const std::string stem = name.substr(0, name.find(".json"));
    for (int depth : {64, 65}) {
      const int levels = depth - 1;  // inside the document's own object
      put(dir, "nest-" + std::to_string(depth) + "-" + stem + ".json",
          text.substr(0, close) + ",\"nest\":" + repeat("[", levels) + repeat("]", levels) + text.substr(close));
    }
  }
}

void toml_nesting_seeds() {
  constexpr int kDeep = 100000;
  put("config_toml", "nest-array-100k.toml", "[terminal]\nname = " + repeat("[", kDeep) + repeat("]", kDeep) + "\n");
  put("config_toml", "nest-inline-100k.toml", "terminal = " + repeat("{a = ", kDeep) + "1" + repeat("}", kDeep) + "\n");
  put("config_toml", "nest-dotted-100k.toml", "terminal" + repeat(".a", kDeep) + " = 1\n");
  put("config_toml", "nest-header-100k.toml", "[terminal" + repeat(".a", kDeep) + "]\nk = 1\n");
  put("config_toml", "nest-array-of-tables-100k.toml", "[[terminal" + repeat(".a", kDeep) + "]]\nk = 1\n");
  // toml++ refuses arrays and inline tables nested past 256: both sides.
  for (int depth : {256, 257})
    put("config_toml", "nest-array-" + std::to_string(depth) + ".toml",
        "[log]\nlevel = " + repeat("[", depth) + repeat("]", depth) + "\n");
}

// ---- sane_frame: see the input layout in sane_frame.cpp.

std::string sane_header(int format, int depth, int ppl, int bpl, int lines, bool last = true) {
  return std::string(1, static_cast<char>(format)) + std::string(1, static_cast<char>(depth)) + le16(ppl) + le16(bpl) +
         le16(lines < 0 ? 0xFFFF : lines) + std::string(1, last ? '\x01' : '\x00');
}

std::string pixels(const cam::Image& im) { return {im.px.begin(), im.px.end()}; }

// Each line of `im` followed by `pad` bytes, as backends pad lines.
std::string padded(const cam::Image& im, std::size_t pad) {
  std::string out;
  for (int y = 0; y < im.height; ++y)
    out += std::string(reinterpret_cast<const char*>(im.row(y)), im.stride()) + std::string(pad, '\xEE');
  return out;
}

void sane_frame_seeds() {
  enum { kGray = 0, kRgb = 1, kRed = 2 };
  const cam::Image g = gradient(12, 6, 1), c = gradient(7, 5, 3);
  put("sane_frame", "grey-8-12x6.bin", sane_header(kGray, 8, 12, 12, 6) + pixels(g));
  put("sane_frame", "rgb-8-7x5.bin", sane_header(kRgb, 8, 7, 21, 5) + pixels(c));
  put("sane_frame", "rgb-8-7x5-padded-to-23.bin", sane_header(kRgb, 8, 7, 23, 5) + padded(c, 2));
  put("sane_frame", "grey-8-unknown-height.bin", sane_header(kGray, 8, 12, 12, -1) + pixels(g));
  put("sane_frame", "grey-8-truncated.bin", sane_header(kGray, 8, 12, 12, 6) + pixels(g).substr(0, 50));
  // Lineart, 13 pixels in 2 bytes a line; 16-bit samples (host order, the
  // gradient as the high byte).
  std::string bits;
  for (int y = 0; y < 4; ++y) bits += std::string(1, static_cast<char>(0xA5 ^ y)) + std::string(1, static_cast<char>(0xF8));
  put("sane_frame", "lineart-13x4.bin", sane_header(kGray, 1, 13, 2, 4) + bits);
  std::string deep;
  for (uint8_t v : c.px) deep += std::string(1, static_cast<char>(0x5A)) + std::string(1, static_cast<char>(v));
  put("sane_frame", "rgb-16-7x5.bin", sane_header(kRgb, 16, 7, 42, 5) + deep);
  put("sane_frame", "red-plane-three-pass.bin", sane_header(kRed, 8, 12, 12, 6, false) + pixels(g));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s tests/fuzz/corpus\n", argv[0]);
    return 2;
  }
  g_root = argv[1];
  usb_framing_seeds();
  camera_frame_seeds();
  code_image_seeds();
  sane_frame_seeds();
  json_nesting_seeds("catalog_parse", "");
  json_nesting_seeds("applicant_form", "");
  json_nesting_seeds("audit_export", "");
  json_nesting_seeds("sync_response", "\x03");   // parse_status: the poll's answer
  json_nesting_seeds("central_request", "\x05");  // audit upload: JCS over every entry
  toml_nesting_seeds();
  std::printf("%d seeds written under %s\n", g_written, argv[1]);
  return 0;
}
