#include <gtest/gtest.h>

#include "catalog/parse.h"
#include "catalog/serialize.h"
#include "store_fixture.h"

namespace bianmin::catalog {
namespace {

std::string mini() { return testing::read_file(testing::fixture("mini-catalog.json")); }

TEST(CatalogParse, KeepsValidItemsIgnoresUnknownFieldsSkipsInvalid) {
  auto p = parse_catalog(mini());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->catalog.version, "test-1");
  ASSERT_EQ(p->catalog.items.size(), 3u);
  ASSERT_EQ(p->skipped.size(), 2u);
  EXPECT_EQ(p->skipped[0].code, "T-BAD-0003");
  EXPECT_NE(p->skipped[0].reason.find("category is missing"), std::string::npos) << p->skipped[0].reason;
  EXPECT_NE(p->skipped[1].reason.find("statutory_days must be an integer"), std::string::npos) << p->skipped[1].reason;
  ASSERT_EQ(p->catalog.special_funds.size(), 1u);
  EXPECT_EQ(p->skipped_funds.size(), 1u);

  const Item* it = p->catalog.find("T-QR-0001");
  ASSERT_NE(it, nullptr);
  EXPECT_EQ(it->category, Category::confirmation);
  EXPECT_EQ(it->materials.size(), 2u);
  EXPECT_EQ(it->materials[0].e_license_type, "居民身份证");
  EXPECT_EQ(it->form.size(), 8u);
  EXPECT_EQ(it->field("reason")->options.size(), 3u);
  EXPECT_FALSE(it->fee.free);
  EXPECT_EQ(it->process.size(), 3u);
}

TEST(CatalogParse, RejectsDocumentsThatAreNotCatalogues) {
  for (const char* bad : {"", "not json", "[]", "{\"items\": []}", "{\"version\": \"1\", \"region_code\": \"1\"}",
                          "{\"version\": \"1\", \"region_code\": \"1\", \"items\": {}}",
                          "{\"version\": \"1\", \"region_code\": \"1\", \"items\": [{\"code\": 1}]}",
                          "{\"version\": \"1\", \"region_code\": \"1\", \"items\": [1, null, \"x\"]}",
                          "{\"version\": \"\xff\", \"region_code\": \"1\", \"items\": []}",
                          "{\"version\": \"1\", \"region_code\": \"1\", \"items\": [2e828]}"}) {
    auto p = parse_catalog(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.error().code, "catalog_invalid");
  }
}

TEST(CatalogParse, DuplicateCodesAndBadFieldsAreSkipped) {
  std::string doc = R"({"version":"1","region_code":"1","items":[
    {"code":"A","name":"甲","category":"other","implementing_body":"局","level":"county","materials":[],
     "statutory_days":1,"promised_days":1,"kiosk_submittable":true,"form":[]},
    {"code":"A","name":"乙","category":"other","implementing_body":"局","level":"county","materials":[],
     "statutory_days":1,"promised_days":1,"kiosk_submittable":true,"form":[]},
    {"code":"B","name":"丙","category":"other","implementing_body":"局","level":"county","materials":[],
     "statutory_days":1,"promised_days":1,"kiosk_submittable":true,
     "form":[{"key":"k","label":"选","type":"select","required":true}]},
    {"code":"C","name":"丁","category":"other","implementing_body":"局","level":"county","materials":[],
     "statutory_days":1,"promised_days":1,"kiosk_submittable":true,
     "form":[{"key":"k","label":"名","type":"text","prefill":"applicant.secret"}]}]})";
  auto p = parse_catalog(doc);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->catalog.items.size(), 1u);
  ASSERT_EQ(p->skipped.size(), 3u);
  EXPECT_NE(p->skipped[0].reason.find("duplicates"), std::string::npos);
  EXPECT_NE(p->skipped[1].reason.find("options"), std::string::npos);
  EXPECT_NE(p->skipped[2].reason.find("prefill"), std::string::npos);
}

TEST(CatalogParse, SerializesBackToTheSpecShape) {
  auto p = parse_catalog(mini());
  auto j = to_json(*p->catalog.find("T-QR-0001"));
  EXPECT_EQ(j["category"], "confirmation");
  EXPECT_EQ(j["materials"][0]["form"], "original");
  EXPECT_EQ(j["form"][0]["prefill"], "applicant.name");
  // What we print parses again as an item.
  nlohmann::json doc = {{"version", "x"}, {"region_code", "1"}, {"items", {j}}};
  auto again = parse_catalog(doc.dump());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->skipped.empty());
}

TEST(CatalogStore, BadCatalogueLeavesThePreviousActive) {
  testing::TempDir dir;
  auto s = testing::open_store(dir);
  CatalogStore cs(s->db());
  ASSERT_TRUE(cs.import(mini(), "first").ok());
  auto rejected = cs.import("{\"version\": \"broken\"", "second");
  ASSERT_FALSE(rejected.ok());
  auto active = cs.load_active();
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->catalog.version, "test-1");
}

TEST(CatalogStore, NewCatalogueReplacesAtomicallyAndOldSnapshotsArePruned) {
  testing::TempDir dir;
  auto s = testing::open_store(dir);
  CatalogStore cs(s->db());
  for (int i = 0; i < 5; ++i) {
    auto doc = nlohmann::json::parse(mini());
    doc["version"] = "v" + std::to_string(i);
    ASSERT_TRUE(cs.import(doc.dump(), "t").ok());
  }
  auto again = cs.import(testing::read_file(testing::fixture("mini-catalog.json")), "t");
  ASSERT_TRUE(again.ok());
  auto list = cs.list();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), static_cast<std::size_t>(CatalogStore::kKeepSnapshots));
  int active = 0;
  for (const auto& snap : *list) active += snap.active;
  EXPECT_EQ(active, 1);
  EXPECT_EQ(cs.load_active()->catalog.version, "test-1");
  auto same = cs.import(mini(), "t");
  EXPECT_TRUE(same->unchanged);
}

TEST(CatalogStore, DamagedActiveSnapshotFallsBackToAnOlderOne) {
  testing::TempDir dir;
  auto s = testing::open_store(dir);
  CatalogStore cs(s->db());
  ASSERT_TRUE(cs.import(mini(), "old").ok());
  auto doc = nlohmann::json::parse(mini());
  doc["version"] = "new";
  ASSERT_TRUE(cs.import(doc.dump(), "new").ok());
  ASSERT_TRUE(s->db().exec("UPDATE catalog_snapshots SET body = '{garbage' WHERE active = 1").ok());
  auto active = cs.load_active();
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->catalog.version, "test-1");
}

}  // namespace
}  // namespace bianmin::catalog
