// Codes from camera frames, restricted to the configured formats.
#define ZX_USE_UTF8
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>

#include "camera/camera_source.h"
#include "camera/code_reader.h"
#include "camera/jpeg_codec.h"
#include "camera/sim_camera.h"
#include "camera/sim_scene.h"

namespace bianmin::drivers::camera {
namespace {

Image ean13_image() {
  ZXing::MultiFormatWriter w(ZXing::BarcodeFormat::EAN13);
  w.setMargin(10);
  auto m = w.encode("6901234567892", 380, 120);
  Image im = Image::make(m.width(), m.height(), 1, 255);
  for (int y = 0; y < m.height(); ++y)
    for (int x = 0; x < m.width(); ++x)
      if (m.get(x, y)) im.at(x, y) = 0;
  return im;
}

TEST(CodeReader, QrOnAPhoneInAPreviewFrame) {
  const std::string url = "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA";
  SimCamera cam("synth:phone,seed=4,rot=-20,qr=" + url, CameraOptions{});
  ASSERT_TRUE(cam.open());
  ASSERT_TRUE(cam.start_preview());
  auto f = cam.next_frame(std::chrono::milliseconds(1000));
  ASSERT_TRUE(f);
  EXPECT_LE(f->width, 1280);
  auto grey = decode_frame(*f, 1);
  ASSERT_TRUE(grey);
  auto reader = CodeReader::create({});
  ASSERT_TRUE(reader);
  auto codes = reader->read(*grey);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].format, "QRCode");
  EXPECT_EQ(codes[0].text, url);
}

TEST(CodeReader, OnlyTheConfiguredFormats) {
  const Image ean = ean13_image();
  CodeReaderOptions qr_only;
  qr_only.formats = "QRCode";
  EXPECT_TRUE(CodeReader::create(qr_only)->read(ean).empty());
  CodeReaderOptions ean_only;
  ean_only.formats = "EAN-13";
  auto codes = CodeReader::create(ean_only)->read(ean);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].format, "EAN-13");
  EXPECT_EQ(codes[0].text, "6901234567892");
  CodeReaderOptions bad;
  bad.formats = "QRCode,Hieroglyphs";
  EXPECT_FALSE(CodeReader::create(bad));
}

TEST(CodeReader, FormatsWhoseZxingDecodersCrashAreRefused) {
  // The picture on which ZXing's Micro QR detector failed an assertion and
  // aborted: grey pixels after a 3-byte header (tests/fuzz/code_image.cpp).
  std::ifstream in(std::string(BIANMIN_SOURCE_DIR) + "/tests/fuzz/corpus/code_image/regress-zxing-microqr-assert.bin",
                   std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 3u);
  const int width = static_cast<uint8_t>(bytes[1]) | (static_cast<uint8_t>(bytes[2]) << 8);
  Image im = Image::make(width, static_cast<int>((bytes.size() - 3) / static_cast<std::size_t>(width)), 1);
  std::copy_n(bytes.begin() + 3, im.px.size(), im.px.begin());
  CodeReaderOptions micro;
  micro.formats = "QRCode,MicroQRCode";
  auto refused = CodeReader::create(micro);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "usage");
  // Aztec and PDF417 likewise (tests/fuzz/corpus/code_image/regress-zxing-aztec-terminate.bin,
  // regress-zxing-pdf417-segv.bin).
  for (const char* formats : {"DataMatrix,Aztec", "PDF417"}) {
    CodeReaderOptions other;
    other.formats = formats;
    EXPECT_FALSE(CodeReader::create(other)) << formats;
  }
  // The formats the terminal uses read the same picture without aborting.
  (void)CodeReader::create({})->read(im);
}

TEST(CodeReader, SeveralSymbolsOnlyWithMatrixFormats) {
  // ZXing aborted merging several linear results of a damaged Code 39
  // picture (tests/fuzz/corpus/code_image/regress-zxing-1d-merge-assert.bin).
  CodeReaderOptions o;
  o.formats = "Code39,Code128";
  o.max_symbols = 3;
  auto refused = CodeReader::create(o);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "usage");
  o.formats = "QRCode,DataMatrix";
  EXPECT_TRUE(CodeReader::create(o));
  o.max_symbols = 0;
  EXPECT_FALSE(CodeReader::create(o));
}

}  // namespace
}  // namespace bianmin::drivers::camera
