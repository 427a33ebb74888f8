// JPEG in and out through libjpeg-turbo, as camera frames and pages need.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "camera/camera_source.h"
#include "camera/jpeg_codec.h"
#include "camera/sim_scene.h"

namespace bianmin::drivers::camera {
namespace {

Image gradient(int w, int h, int c) {
  Image im = Image::make(w, h, c);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int k = 0; k < c; ++k) im.at(x, y, k) = static_cast<uint8_t>((x * 3 + y * 2 + k * 40) & 0xFF);
  return im;
}

TEST(Jpeg, RoundTripGreyAndColourWithDensity) {
  for (int c : {1, 3}) {
    auto j = encode_jpeg(gradient(320, 240, c), 90, 200);
    ASSERT_TRUE(j);
    EXPECT_EQ(static_cast<unsigned char>((*j)[13]), 1);  // JFIF units: dots per inch
    EXPECT_EQ(((static_cast<unsigned char>((*j)[14]) << 8) | static_cast<unsigned char>((*j)[15])), 200);
    auto info = jpeg_info(*j);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->width, 320);
    EXPECT_EQ(info->grey, c == 1);
    auto back = decode_jpeg(*j, 3);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->width, 320);
    auto small = decode_jpeg(*j, 1, 4);
    ASSERT_TRUE(small);
    EXPECT_EQ(small->width, 80);
    EXPECT_EQ(small->channels, 1);
  }
}

TEST(Jpeg, UvcMjpegWithoutHuffmanTablesDecodes) {
  // Many UVC cameras send MJPEG frames without DHT segments (the standard
  // tables are implied); strip them from an ordinary JPEG.
  auto j = encode_jpeg(gradient(160, 120, 3), 80);
  ASSERT_TRUE(j);
  std::string s = *j, out = s.substr(0, 2);
  for (std::size_t i = 2; i + 4 <= s.size();) {
    if (static_cast<unsigned char>(s[i]) != 0xFF) break;
    const auto marker = static_cast<unsigned char>(s[i + 1]);
    const std::size_t len = (static_cast<unsigned char>(s[i + 2]) << 8) | static_cast<unsigned char>(s[i + 3]);
    if (marker == 0xDA) {
      out += s.substr(i);
      break;
    }
    if (marker != 0xC4) out += s.substr(i, 2 + len);
    i += 2 + len;
  }
  ASSERT_LT(out.size(), s.size());
  auto im = decode_jpeg(out, 3);
  ASSERT_TRUE(im) << im.error().message;
  EXPECT_EQ(im->width, 160);
}

TEST(Jpeg, GarbageIsAnErrorNotACrash) {
  EXPECT_FALSE(decode_jpeg("not a jpeg", 3));
  EXPECT_FALSE(decode_image("\x89PNG\r\n\x1a\n truncated"));
  EXPECT_FALSE(decode_image("P6\n99999 1\n255\n"));
  auto png = encode_png(gradient(64, 32, 1), true, 300);
  ASSERT_TRUE(png);
  auto back = decode_image(*png);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->width, 64);
}

TEST(SimScene, SameSeedSameFrame) {
  auto a = synthesize_scene(*parse_scene_spec("text,seed=9,size=640x480"));
  auto b = synthesize_scene(*parse_scene_spec("text,seed=9,size=640x480"));
  auto c = synthesize_scene(*parse_scene_spec("text,seed=10,size=640x480"));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->frame.px, b->frame.px);
  EXPECT_NE(a->frame.px, c->frame.px);
  EXPECT_FALSE(parse_scene_spec("poster"));
  EXPECT_FALSE(parse_scene_spec("form,rot=x"));
  EXPECT_EQ(parse_scene_spec("form,seed=4,qr=a,b=c")->qr_text, "a,b=c");
}

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// A small JPEG whose start-of-frame header is patched to claim `side` ×
// `side`: what a damaged MJPEG transfer or a hostile file can look like.
std::string jpeg_claiming(int side) {
  auto j = encode_jpeg(gradient(16, 16, 1), 80);
  EXPECT_TRUE(j);
  std::string s = *j;
  const auto sof = s.find("\xFF\xC0");
  EXPECT_NE(sof, std::string::npos);
  for (std::size_t at : {sof + 5, sof + 7}) {
    s[at] = static_cast<char>(side >> 8);
    s[at + 1] = static_cast<char>(side & 0xFF);
  }
  return s;
}

TEST(Jpeg, AHeaderClaimingAHugePictureIsRefusedBeforeAnythingIsAllocated) {
  const long before = peak_rss_kb();
  const std::string huge = jpeg_claiming(16384);  // 805 MB as RGB
  Frame f;
  f.format = PixelFormat::mjpeg;
  f.width = 1280;
  f.height = 720;
  f.data = jpeg_claiming(4096);  // within the file budget (50 MB as RGB), not within the mode
  auto frame = decode_frame(f, 3);
  ASSERT_FALSE(frame);
  EXPECT_NE(frame.error().message.find("larger than the camera's mode 1280 x 720"), std::string::npos)
      << frame.error().message;
  auto file = decode_image(huge);
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("million pixels"), std::string::npos) << file.error().message;
  auto pnm = decode_image("P6\n16384 2000\n255\n" + std::string(64, '\x7f'));
  ASSERT_FALSE(pnm);
  EXPECT_NE(pnm.error().message.find("truncated"), std::string::npos) << pnm.error().message;
  // Nothing near the claimed size was ever reserved.
  EXPECT_LT(peak_rss_kb() - before, 64 * 1024);

  // A frame within its mode still decodes (a short one with a warning, as
  // truncated UVC transfers do).
  f.data = jpeg_claiming(640);
  auto within = decode_frame(f, 1);
  ASSERT_TRUE(within) << within.error().message;
  EXPECT_EQ(within->width, 640);
}

}  // namespace
}  // namespace bianmin::drivers::camera
