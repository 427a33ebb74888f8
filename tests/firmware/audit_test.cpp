#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "audit/jcs.h"
#include "store_fixture.h"

namespace bianmin::audit {
namespace {

using json = nlohmann::json;

TEST(Jcs, SortsKeysByUtf16AndEscapesLikeEcmascript) {
  json v = {{"b", 1}, {"a", "x\n\x01\"/"}, {"\xc3\xa9", true}, {"\xf0\x9f\x98\x80", nullptr}, {"\xef\xbc\xa1", 0}};
  // U+1F600 (surrogates D83D…) sorts before U+FF21 in UTF-16 order.
  EXPECT_EQ(canonical_json(v),
            "{\"a\":\"x\\n\\u0001\\\"/\",\"b\":1,\"\xc3\xa9\":true,\"\xf0\x9f\x98\x80\":null,\"\xef\xbc\xa1\":0}");
}

TEST(Jcs, NumbersInEcmascriptForm) {
  EXPECT_EQ(canonical_json(json::parse("[1E30, 4.50, 0.000001, 1e-7, -0.0, 100, 123456789012345680000]")),
            "[1e+30,4.5,0.000001,1e-7,0,100,123456789012345680000]");
}

TEST(Chain, HashFollowsTheSpecFormula) {
  json data = {{"receipt_no", "K03-20261122-0042"}};
  const std::string expected = crypto::sha256_hex(
      std::string(64, '0') +
      R"({"at":"2026-11-22T09:30:00+08:00","data":{"receipt_no":"K03-20261122-0042"},"seq":1,"type":"submission"})");
  EXPECT_EQ(entry_hash(crypto::Suite::standard, kGenesisHash, 1, "2026-11-22T09:30:00+08:00", "submission", data),
            expected);
}

class ChainTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    store = testing::open_store(dir, crypto::Suite::gm);
    AuditLog log(store->db(), crypto::Suite::gm);
    for (int i = 1; i <= 6; ++i) ASSERT_TRUE(log.append(kSessionStart, {{"n", i}}).ok());
  }
  std::optional<ChainProblem> verify() {
    auto e = AuditLog(store->db(), crypto::Suite::gm).entries();
    return verify_chain(crypto::Suite::gm, *e);
  }
  void sql(const std::string& s) { ASSERT_TRUE(store->db().exec(s).ok()) << s; }
  testing::TempDir dir;
  std::unique_ptr<store::Store> store;
};

TEST_F(ChainTamper, IntactChainVerifies) { EXPECT_FALSE(verify()); }

TEST_F(ChainTamper, AlteredEntryIsNamed) {
  sql("UPDATE audit_log SET data = '{\"n\":99}' WHERE seq = 3");
  auto p = verify();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, "altered");
  EXPECT_EQ(p->seq, 3);
}

TEST_F(ChainTamper, RemovedEntryIsNamed) {
  sql("DELETE FROM audit_log WHERE seq = 4");
  auto p = verify();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, "removed");
  EXPECT_EQ(p->seq, 4);
}

TEST_F(ChainTamper, InsertedEntryIsNamed) {
  // A forged entry with a valid hash of its own, slotted in at seq 4.
  auto e = *AuditLog(store->db(), crypto::Suite::gm).entries();
  sql("UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4");
  sql("UPDATE audit_log SET seq = seq - 99 WHERE seq >= 104");
  const std::string at = "2026-11-22T09:30:00+08:00";
  const std::string h = entry_hash(crypto::Suite::gm, e[2].hash, 4, at, "factory_reset", json::object());
  sql("INSERT INTO audit_log(seq, at, type, data, prev_hash, hash) VALUES(4, '" + at +
      "', 'factory_reset', '{}', '" + e[2].hash + "', '" + h + "')");
  auto p = verify();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->seq, 5);  // the first genuine entry after the forgery breaks
}

TEST_F(ChainTamper, ReorderedEntriesAreNamed) {
  // Swap entries 2 and 3 wholesale (content and seq travel together).
  sql("UPDATE audit_log SET seq = 100 WHERE seq = 2");
  sql("UPDATE audit_log SET seq = 2 WHERE seq = 3");
  sql("UPDATE audit_log SET seq = 3 WHERE seq = 100");
  auto p = verify();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->seq, 2);
}

TEST(Chain, ExportRoundTripsThroughJson) {
  testing::TempDir dir;
  auto s = testing::open_store(dir);
  AuditLog log(s->db(), crypto::Suite::standard);
  ASSERT_TRUE(log.append(kConfigChange, {{"setting", "log.level"}}).ok());
  auto entries = *log.entries();
  auto back = Entry::from_json(json::parse(entries[0].to_json().dump()));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(verify_chain(crypto::Suite::standard, {*back}));
  EXPECT_FALSE(Entry::from_json(json::parse(R"({"seq":"one"})")).ok());
}

}  // namespace
}  // namespace bianmin::audit
