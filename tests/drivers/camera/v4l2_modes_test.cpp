// UVC mode choice and fallbacks (no hardware needed), and the V4L2 camera's
// answers when there is no camera.
#include <gtest/gtest.h>

#include "camera/v4l2_camera.h"
#include "camera/v4l2_modes.h"

namespace bianmin::drivers::camera {
namespace {

// A typical document camera: MJPEG up to 2592×1944, YUYV only small.
const std::vector<V4l2Mode> kModes = {
    {kFourccYuyv, 640, 480, 30},    {kFourccYuyv, 1280, 720, 10},  {kFourccYuyv, 2592, 1944, 2},
    {kFourccMjpeg, 640, 480, 30},   {kFourccMjpeg, 1280, 720, 30}, {kFourccMjpeg, 1920, 1080, 30},
    {kFourccMjpeg, 2592, 1944, 15}, {fourcc('H', '2', '6', '4'), 1920, 1080, 30},
};

TEST(V4l2Modes, PreviewIsMjpegAtMostTheAskedSizeWithFallbacks) {
  auto c = preview_candidates(kModes, 1280, 720, 15);
  ASSERT_GE(c.size(), 4u);
  EXPECT_EQ(c[0].mode.fourcc, kFourccMjpeg);
  EXPECT_EQ(c[0].mode.width, 1280);
  EXPECT_EQ(c[0].fps, 15);
  EXPECT_EQ(c[1].mode.width, 1280);   // same size at half the rate: half the bandwidth
  EXPECT_LT(c[1].fps, 15);
  EXPECT_EQ(c[2].mode.width, 640);    // then smaller
  EXPECT_EQ(c.back().mode.fourcc, kFourccYuyv);  // YUYV last
  for (const auto& x : c) EXPECT_NE(x.mode.fourcc, fourcc('H', '2', '6', '4'));
}

TEST(V4l2Modes, StillIsTheLargestMjpegOrTheRequestedSize) {
  auto c = still_candidates(kModes, 0, 0);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].mode.fourcc, kFourccMjpeg);
  EXPECT_EQ(c[0].mode.width, 2592);
  auto r = still_candidates(kModes, 1920, 1080);
  EXPECT_EQ(r[0].mode.width, 1920);
  // YUYV-only camera: still works, from YUYV.
  auto y = still_candidates({{kFourccYuyv, 640, 480, 30}}, 0, 0);
  ASSERT_FALSE(y.empty());
  EXPECT_EQ(y[0].mode.fourcc, kFourccYuyv);
  EXPECT_EQ(fourcc_name(kFourccMjpeg), "MJPG");
}

TEST(V4l2Camera, NoDeviceIsAbsentAndANonVideoNodeIsRefused) {
  V4l2Camera none("/dev/video-does-not-exist", {});
  EXPECT_FALSE(none.present());
  EXPECT_EQ(none.open().error().code, "camera_absent");
  V4l2Camera null("/dev/null", {});
  auto st = null.open();
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "camera_unsupported");
  EXPECT_FALSE(parse_camera_spec("usb:0"));
  EXPECT_EQ(parse_camera_spec("v4l2:/dev/video0")->kind, CameraSpec::Kind::v4l2);
}

TEST(Frames, YuyvFramesDecode) {
  Frame f;
  f.format = PixelFormat::yuyv;
  f.width = 4;
  f.height = 2;
  f.data = std::string("\xEB\x80\xEB\x80\x10\x80\x10\x80" "\xEB\x80\xEB\x80\x10\x80\x10\x80", 16);
  auto im = decode_frame(f, 3);
  ASSERT_TRUE(im);
  EXPECT_EQ(im->at(0, 0, 0), 255);
  EXPECT_EQ(im->at(2, 0, 1), 0);
  f.data.resize(5);
  EXPECT_FALSE(decode_frame(f, 3));
}

TEST(Frames, YuyvOfOddWidthIsRefusedNotReadPastTheBuffer) {
  // 17 × 1 in exactly 34 bytes: the last pixel's V lay at byte 35
  // (tests/fuzz/corpus/camera_frame/regress-yuyv-odd-width.bin).
  Frame f;
  f.format = PixelFormat::yuyv;
  f.width = 17;
  f.height = 1;
  f.data.assign(34, '\x80');
  auto im = decode_frame(f, 3);
  ASSERT_FALSE(im);
  EXPECT_EQ(im.error().code, "image_invalid");
  f.width = 16;  // the same bytes as 16 × 1 (two left over) decode
  EXPECT_TRUE(decode_frame(f, 3));
}

}  // namespace
}  // namespace bianmin::drivers::camera
