// `bianmin scan page`: a page from the (simulated) camera, printed as
// JSON, written to a file, and stored as the next page of a material of a
// queued application.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "drivers/camera/scan_cli_fixture.h"
#include "support/testing.h"

namespace bianmin::drivers::camera {
namespace {

using json = nlohmann::json;

class ScanPage : public drivers::testing::ScanCliTest {};

TEST_F(ScanPage, PrintsTheContractFieldsAndWritesThePage) {
  auto sim = bm({"sim", "camera", "--scene", "form,seed=3,rot=22", "--out", dir.file("photo.jpg"), "--json"});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  auto r = bm({"scan", "page", "--camera", "sim:" + dir.file("photo.jpg"), "--out", dir.file("page.jpg"), "--thumb",
               dir.file("thumb.jpg"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  for (const char* k : {"sha256", "bytes", "width", "height", "dpi"}) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["sha256"].get<std::string>().size(), 64u);
  EXPECT_LE(j["bytes"].get<int>(), 300000);
  EXPECT_GT(j["width"].get<int>(), 500);
  EXPECT_GT(j["height"].get<int>(), j["width"].get<int>());  // portrait A4, upright
  EXPECT_EQ(j["paper"], "A4");
  const std::string page = bianmin::testing::read_file(dir.file("page.jpg"));
  EXPECT_EQ(page.size(), j["bytes"].get<std::size_t>());
  EXPECT_FALSE(bianmin::testing::read_file(dir.file("thumb.jpg")).empty());
}

TEST_F(ScanPage, StoresTheNextPageOfAMaterialOfAQueuedApplication) {
  const std::string client_id = queued_application();
  ASSERT_FALSE(client_id.empty());
  ASSERT_EQ(bm({"sim", "camera", "--scene", "idcard,seed=5,rot=-9", "--out", dir.file("card.jpg")}).exit_code, 0);

  auto r = bm({"scan", "page", "--camera", "sim:" + dir.file("card.jpg"), "--material", "m1", "--client-id", client_id,
               "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["material"]["seq"], 2);  // after the page given at submission
  EXPECT_EQ(j["paper"], "ID-1");
  auto q = bm({"queue", "list", "--json"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find(j["sha256"].get<std::string>()), std::string::npos) << q.out;
  auto check = bm({"store", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

  EXPECT_EQ(bm({"scan", "page", "--camera", "sim:" + dir.file("card.jpg"), "--material", "m9", "--client-id",
                client_id}).exit_code, 2);  // not one of the item's materials
  EXPECT_EQ(bm({"scan", "page", "--camera", "sim:" + dir.file("card.jpg"), "--material", "m1", "--client-id",
                "0190ffff-0000-7000-8000-000000000000"}).exit_code, 3);
  EXPECT_EQ(bm({"scan", "page", "--camera", "sim:" + dir.file("card.jpg"), "--material", "m1"}).exit_code, 1);
}

TEST_F(ScanPage, MissingCameraIsADeviceError) {
  auto r = bm({"scan", "page", "--camera", "sim:" + dir.file("nothing.jpg"), "--json"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(bm({"scan", "page", "--camera", "v4l2:/dev/video-none"}).exit_code, 4);
  EXPECT_EQ(bm({"scan", "page", "--camera", "webcam"}).exit_code, 1);
}

}  // namespace
}  // namespace bianmin::drivers::camera
