// The camera as the kiosk sees it: unplugging mid-preview gives a clear
// state, not a frozen frame; after re-plug capture works again, no restart.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "camera/camera_service.h"
#include "camera/jpeg_codec.h"
#include "camera/sim_camera.h"
#include "support/testing.h"

namespace bianmin::drivers::camera {
namespace {

using namespace std::chrono_literals;

CameraServiceOptions fast() {
  CameraServiceOptions o;
  o.reconnect_ms = 50;
  o.frame_timeout_ms = 200;
  o.stall_ms = 600;
  return o;
}

CameraOptions preview() {
  CameraOptions c;
  c.preview_fps = 60;
  return c;
}

TEST(CameraService, UnplugMidPreviewThenReplugWithoutRestart) {
  auto cam = std::make_unique<SimCamera>("synth:form,seed=3,size=1296x972", preview());
  SimCamera* sim = cam.get();
  CameraService svc(std::move(cam), fast());
  std::vector<CameraState> seen;
  std::mutex mu;
  svc.on_change([&](const CameraStatus& s) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(s.state);
  });
  svc.start();
  ASSERT_TRUE(svc.wait_for(CameraState::streaming, 10s));
  auto f1 = svc.wait_frame(0, 2s);
  ASSERT_TRUE(f1);
  auto f2 = svc.wait_frame(f1->sequence, 2s);
  ASSERT_TRUE(f2);  // live: new frames keep coming
  auto still = svc.capture_still(5s);
  ASSERT_TRUE(still) << still.error().message;
  EXPECT_EQ(still->width, 1296);

  sim->unplug();
  ASSERT_TRUE(svc.wait_for(CameraState::unplugged, 2s));
  EXPECT_FALSE(svc.latest());                   // no frozen frame
  EXPECT_FALSE(svc.wait_frame(0, 300ms));        // and none coming
  auto refused = svc.capture_still(2s);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "camera_unplugged");
  EXPECT_NE(svc.status().message.find("unplugged"), std::string::npos);

  sim->replug();
  ASSERT_TRUE(svc.wait_for(CameraState::streaming, 5s));
  EXPECT_TRUE(svc.wait_frame(0, 2s));
  auto again = svc.capture_still(5s);
  ASSERT_TRUE(again) << again.error().message;
  auto im = decode_frame(*again, 3);
  ASSERT_TRUE(im);
  EXPECT_EQ(im->width, 1296);
  EXPECT_EQ(svc.status().reconnects, 1u);
  svc.stop();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_NE(std::find(seen.begin(), seen.end(), CameraState::unplugged), seen.end());
}

TEST(CameraService, DeviceNodeGoingAwayAndComingBack) {
  // sim:PATH behaves like /dev/videoN: the file vanishing is an unplug.
  bianmin::testing::TempDir dir;
  const std::string path = dir.file("cam.jpg");
  auto jpg = encode_jpeg(Image::make(320, 240, 3, 128), 80);
  ASSERT_TRUE(jpg);
  ASSERT_TRUE(write_file(path, *jpg));
  CameraService svc(std::make_unique<SimCamera>(path, preview()), fast());
  svc.start();
  ASSERT_TRUE(svc.wait_for(CameraState::streaming, 5s));
  std::filesystem::rename(path, path + ".away");
  ASSERT_TRUE(svc.wait_for(CameraState::unplugged, 2s));
  EXPECT_FALSE(svc.latest());
  std::filesystem::rename(path + ".away", path);
  ASSERT_TRUE(svc.wait_for(CameraState::streaming, 5s));
  EXPECT_TRUE(svc.capture_still(5s));
}

TEST(CameraService, AbsentAtStart) {
  CameraService svc(std::make_unique<SimCamera>("/nonexistent/cam.jpg", preview()), fast());
  svc.start();
  ASSERT_TRUE(svc.wait_for(CameraState::absent, 2s));
  auto r = svc.capture_still(1s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "camera_absent");
}

TEST(SimCamera, DirectoryPlaysPagesInOrder) {
  bianmin::testing::TempDir dir;
  for (int i = 0; i < 3; ++i) {
    auto jpg = encode_jpeg(Image::make(100 + i, 80, 3, static_cast<uint8_t>(50 * i)), 80);
    ASSERT_TRUE(write_file(dir.file("p" + std::to_string(i) + ".jpg"), *jpg));
  }
  SimCamera cam(dir.path(), preview());
  ASSERT_TRUE(cam.open());
  for (int i = 0; i < 4; ++i) {
    auto f = cam.capture_still();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->width, 100 + i % 3);
  }
}

}  // namespace
}  // namespace bianmin::drivers::camera
