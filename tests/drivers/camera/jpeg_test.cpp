// JPEG in and out through libjpeg-turbo, as camera frames and pages need.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace bianmin::drivers::camera
