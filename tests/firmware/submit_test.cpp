#include <gtest/gtest.h>

#include <filesystem>

#include "audit/audit_log.h"
#include "base/uuid.h"
#include "store_fixture.h"

namespace bianmin::outbox {
namespace {

using testing::TempDir;

TEST(Submit, QueuesDurablyWithReceiptNumberAndExactBody) {
  TempDir dir;
  auto s = testing::open_store(dir);
  auto cat = testing::import_mini(*s);
  SubmitService svc(*s, "K03");
  auto req = testing::valid_request(cat);
  req.materials.push_back({"m1", "second page", "image/jpeg", 1});
  req.materials.push_back({"m2", "household register", "image/jpeg", 2});
  auto done = svc.submit(req);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_TRUE(is_uuid(done->client_id));
  EXPECT_EQ(done->receipt_no.substr(0, 4), "K03-");
  EXPECT_EQ(done->receipt_no.size(), std::string("K03-20261122-0001").size());
  EXPECT_EQ(done->receipt_no.substr(done->receipt_no.size() - 5), "-0001");

  ApplicationStore apps(*s);
  auto rec = apps.get(done->receipt_no);
  ASSERT_TRUE(rec.ok() && rec->has_value());
  EXPECT_EQ((*rec)->state, "queued");
  EXPECT_EQ((*rec)->receipt_state, "pending");
  EXPECT_EQ((*rec)->promised_days, 20);
  ASSERT_EQ((*rec)->blobs.size(), 3u);
  EXPECT_EQ((*rec)->blobs[1].seq, 2);

  auto body = apps.request_body(done->client_id);
  ASSERT_TRUE(body.ok());
  auto j = nlohmann::json::parse(*body);
  EXPECT_EQ(j["client_id"], done->client_id);
  EXPECT_EQ(j["receipt_no"], done->receipt_no);
  EXPECT_EQ(j["channel"], "kiosk");
  EXPECT_EQ(j["applicant"]["id_number"], "620702199003071232");
  EXPECT_EQ(j["form"]["name"], "张三丰") << "prefilled from the applicant";
  ASSERT_EQ(j["materials"].size(), 2u);
  EXPECT_EQ(j["materials"][0]["material_id"], "m1");
  EXPECT_EQ(j["materials"][0]["blobs"].size(), 2u);
  EXPECT_EQ(j["materials"][1]["blobs"][0]["pages"], 2);
  EXPECT_EQ(j["materials"][0]["blobs"][0]["sha256"], crypto::sha256_hex("JPEG page bytes"));
  EXPECT_FALSE(j.contains("clerk_id"));

  auto next = testing::valid_request(cat, "other");
  auto second = svc.submit(next);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->receipt_no.substr(second->receipt_no.size() - 5), "-0002");
}

TEST(Submit, InvalidApplicationStoresNothing) {
  TempDir dir;
  auto s = testing::open_store(dir);
  auto cat = testing::import_mini(*s);
  SubmitService svc(*s, "K03");
  auto req = testing::valid_request(cat);
  req.draft.applicant.phone = "110";
  auto r = svc.submit(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "validation_failed");
  EXPECT_NE(r.error().message.find("applicant.phone: mobile_format"), std::string::npos);
  EXPECT_EQ(*ApplicationStore(*s).count("queued"), 0);
  EXPECT_TRUE(s->blobs().list()->empty());
}

TEST(Submit, AuditsWithMaskedDataOnly) {
  TempDir dir;
  auto s = testing::open_store(dir);
  auto cat = testing::import_mini(*s);
  SubmitService svc(*s, "K03");
  auto req = testing::valid_request(cat);
  ASSERT_TRUE(svc.submit(req).ok());
  auto entries = audit::AuditLog(s->db(), s->sealer()).entries();
  ASSERT_TRUE(entries.ok());
  ASSERT_FALSE(entries->empty());
  const auto& e = entries->back();
  EXPECT_EQ(e.type, "submission");
  EXPECT_EQ(e.data["applicant"], "张**");
  EXPECT_EQ(e.data["id_number"], "620702********1232");
}

// Nothing personal is readable at rest: not in the database, not in its WAL,
// not in any blob file (both crypto suites).
class PrivacyAtRest : public ::testing::TestWithParam<crypto::Suite> {};

TEST_P(PrivacyAtRest, GrepFindsNoIdNumberNameOrPhone) {
  TempDir dir;
  auto s = testing::open_store(dir, GetParam());
  auto cat = testing::import_mini(*s);
  SubmitService svc(*s, "K03");
  for (int i = 0; i < 3; ++i) {
    auto req = testing::valid_request(cat, "page with marker " + std::to_string(i));
    ASSERT_TRUE(svc.submit(req).ok());
  }
  std::size_t files = 0;
  bool saw_wal = false;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!e.is_regular_file()) continue;
    ++files;
    saw_wal = saw_wal || e.path().string().ends_with("-wal");
    const std::string bytes = testing::read_file(e.path());
    for (const std::string needle : {"620702199003071232", "张三丰", "13909360001", "清凉寺村", "page with marker"})
      EXPECT_EQ(bytes.find(needle), std::string::npos) << needle << " found in " << e.path();
  }
  EXPECT_TRUE(saw_wal) << "the WAL must be among the files checked";
  EXPECT_GE(files, 5u);
}

INSTANTIATE_TEST_SUITE_P(Suites, PrivacyAtRest, ::testing::Values(crypto::Suite::standard, crypto::Suite::gm));

TEST(ReceiptNumber, Format) {
  EXPECT_EQ(format_receipt_no("K03", "20261122", 42), "K03-20261122-0042");
  EXPECT_EQ(format_receipt_no("K03", "20261122", 12345), "K03-20261122-12345");
}

}  // namespace
}  // namespace bianmin::outbox
