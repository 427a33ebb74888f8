// Codes from camera frames, restricted to the configured formats.
#define ZX_USE_UTF8
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace bianmin::drivers::camera
