#include <gtest/gtest.h>

#include "audit/anchor.h"
#include "audit/audit_log.h"
#include "audit/export.h"
#include "audit/integrity.h"
#include "audit/jcs.h"
#include "store_fixture.h"

#include <map>

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
    AuditLog log(store->db(), store->sealer());
    for (int i = 1; i <= 6; ++i) ASSERT_TRUE(log.append(kSessionStart, {{"n", i}}).ok());
  }
  std::optional<ChainProblem> verify() {
    auto e = AuditLog(store->db(), store->sealer()).entries();
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
  auto e = *AuditLog(store->db(), store->sealer()).entries();
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
  AuditLog log(s->db(), s->sealer());
  ASSERT_TRUE(log.append(kConfigChange, {{"setting", "log.level"}}).ok());
  auto entries = *log.entries();
  auto back = Entry::from_json(json::parse(entries[0].to_json().dump()));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(verify_chain(crypto::Suite::standard, {*back}));
  EXPECT_FALSE(Entry::from_json(json::parse(R"({"seq":"one"})")).ok());
}

// Issue 13, fuzz_audit_export: an entry's seq must be a JSON integer that
// fits int64. Before, nlohmann's get<int64_t>() converted 2e+57 (undefined
// behaviour), truncated 1.5 to 1 and wrapped 2^64-1 to -1, so `audit verify
// --file` judged a chain by a seq the file does not hold.
TEST(Chain, AnExportWhoseSeqIsNoInt64IsRefused) {
  auto with_seq = [](const std::string& seq) {
    return parse_export(R"({"entries":[{"seq":)" + seq +
                        R"(,"at":"2026-11-22T09:30:00+08:00","type":"t","data":{},"prev_hash":"0","hash":"x"}]})");
  };
  for (const char* seq : {"2e+57", "-2e+57", "1.5", "1e0", "9223372036854775808", "18446744073709551615", "\"3\""}) {
    auto r = with_seq(seq);
    ASSERT_FALSE(r.ok()) << seq;
    EXPECT_EQ(r.error().code, "input_invalid") << seq;
    EXPECT_NE(r.error().message.find("seq"), std::string::npos) << seq << ": " << r.error().message;
  }
  for (int64_t seq : {int64_t{1}, INT64_MAX, INT64_MIN}) {
    auto r = with_seq(std::to_string(seq));
    ASSERT_TRUE(r.ok()) << seq;
    EXPECT_EQ(r->at(0).seq, seq);
  }
}

// The technician's command on such a file: a clear refusal (exit 2) naming
// the seq, not a verdict about an entry the file does not hold.
TEST(Chain, AuditVerifyOfAnExportWithAHugeSeqIsRefused) {
  testing::TempDir dir;
  const std::string file = dir.file("export.json");
  testing::write_file(file, R"({"entries":[{"seq":2e+57,"at":"2026-11-22T09:30:00+08:00","type":"t","data":{},"prev_hash":")" +
                                std::string(64, '0') + R"(","hash":"00"}]})");
  auto r = testing::run_bianmin({"--data-dir", dir.file("data"), "audit", "verify", "--file", file});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("seq must be an integer"), std::string::npos) << r.err;
}

// Issue 16, item 3: a chain that still verifies on its own but was cut at
// the end, rebuilt after a removal, or lost a receipted application. Each of
// these passed `audit verify` and `store check` before the keyed anchor.
class Receipted : public ::testing::Test {
 protected:
  void SetUp() override {
    store = testing::open_store(dir);
    auto cat = testing::import_mini(*store);
    ASSERT_TRUE(AuditLog(store->db(), store->sealer()).append(kSessionStart, {{"n", 1}}).ok());
    outbox::SubmitService svc(*store, "K03");
    for (int i = 0; i < 3; ++i) {
      auto req = testing::valid_request(cat, "page " + std::to_string(i));
      auto r = svc.submit(req);
      ASSERT_TRUE(r.ok()) << r.error().message;
      ids.push_back(r->client_id);
    }
    for (const auto& e : entries())
      if (e.type == kSubmission) seq_of[e.data["client_id"].get<std::string>()] = e.seq;
  }
  std::vector<Entry> entries() { return *AuditLog(store->db(), store->sealer()).entries(); }
  void sql(const std::string& s) { ASSERT_TRUE(store->db().exec(s).ok()) << s; }
  void delete_application(const std::string& id) {
    sql("DELETE FROM application_materials WHERE client_id = '" + id + "'");
    sql("DELETE FROM applications WHERE client_id = '" + id + "'");
  }
  // What someone with the store but not the device key can do: replace
  // the entries from `from` on with `tail`, renumbered and rehashed, so
  // that the chain verifies again.
  void rewrite_from(int64_t from, const std::vector<Entry>& tail) {
    auto es = entries();
    sql("DELETE FROM audit_log WHERE seq >= " + std::to_string(from));
    std::string prev = from > 1 ? es[static_cast<std::size_t>(from - 2)].hash : kGenesisHash;
    int64_t seq = from;
    for (const auto& e : tail) {
      const std::string h = entry_hash(store->sealer().suite(), prev, seq, e.at, e.type, e.data);
      auto ins = store->db().prepare("INSERT INTO audit_log(seq, at, type, data, prev_hash, hash) VALUES(?, ?, ?, ?, ?, ?)");
      ASSERT_TRUE(ins.ok());
      ins->bind(1, seq).bind(2, e.at).bind(3, e.type).bind(4, canonical_json(e.data)).bind(5, prev).bind(6, h);
      ASSERT_TRUE(ins->run().ok());
      prev = h;
      ++seq;
    }
  }
  testing::CommandResult bm(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data-dir", dir.path() + "/data", "--log-level", "warn"});
    return testing::run_bianmin(args);
  }
  // `audit verify --json`: its exit code and its first problem.
  std::pair<int, json> verify_cli() {
    auto r = bm({"audit", "verify", "--json"});
    auto j = json::parse(r.out, nullptr, false);
    return {r.exit_code, j.is_object() && j.contains("problem") ? j["problem"] : json()};
  }
  int store_check_cli() { return bm({"store", "check", "--json"}).exit_code; }

  testing::TempDir dir;
  std::unique_ptr<store::Store> store;
  std::vector<std::string> ids;
  std::map<std::string, int64_t> seq_of;
};

TEST_F(Receipted, AnIntactStorePassesBothChecks) {
  auto [code, problem] = verify_cli();
  EXPECT_EQ(code, 0) << problem.dump();
  EXPECT_EQ(store_check_cli(), 0);
}

TEST_F(Receipted, CuttingTheLastApplicationAndItsEntryIsDetected) {
  const int64_t last = seq_of[ids[2]];
  ASSERT_EQ(last, entries().back().seq);
  delete_application(ids[2]);
  sql("DELETE FROM audit_log WHERE seq = " + std::to_string(last));
  EXPECT_FALSE(verify_chain(store->sealer().suite(), entries())) << "the chain alone cannot tell";
  auto [code, problem] = verify_cli();
  EXPECT_EQ(code, 5);
  EXPECT_EQ(problem["seq"], last);
  EXPECT_EQ(problem["kind"], "truncated");
  EXPECT_EQ(store_check_cli(), 5);
}

TEST_F(Receipted, RemovingAnApplicationAndItsEntryAndRebuildingTheChainIsDetected) {
  const int64_t seq = seq_of[ids[0]];
  delete_application(ids[0]);
  std::vector<Entry> after;
  for (const auto& e : entries())
    if (e.seq > seq) after.push_back(e);
  rewrite_from(seq, after);
  EXPECT_FALSE(verify_chain(store->sealer().suite(), entries())) << "the rebuilt chain verifies on its own";
  auto [code, problem] = verify_cli();
  EXPECT_EQ(code, 5);
  EXPECT_EQ(problem["kind"], "truncated") << problem.dump();  // one entry fewer than the anchor names
  EXPECT_EQ(store_check_cli(), 5);
}

TEST_F(Receipted, RemovingOnlyAnApplicationIsDetected) {
  delete_application(ids[1]);
  auto [code, problem] = verify_cli();
  EXPECT_EQ(code, 5);
  EXPECT_EQ(problem["kind"], "application_missing");
  EXPECT_EQ(problem["seq"], seq_of[ids[1]]);
  EXPECT_EQ(store_check_cli(), 5);
}

TEST_F(Receipted, AnEntryAppendedBehindTheLogsBackIsDetected) {
  const Entry last = entries().back();
  const std::string at = "2026-11-22T09:30:00+08:00";
  const std::string h = entry_hash(store->sealer().suite(), last.hash, last.seq + 1, at, kFactoryReset, json::object());
  sql("INSERT INTO audit_log(seq, at, type, data, prev_hash, hash) VALUES(" + std::to_string(last.seq + 1) + ", '" +
      at + "', 'factory_reset', '{}', '" + last.hash + "', '" + h + "')");
  EXPECT_FALSE(verify_chain(store->sealer().suite(), entries()));
  auto [code, problem] = verify_cli();
  EXPECT_EQ(code, 5);
  EXPECT_EQ(problem["kind"], "unanchored");
  EXPECT_EQ(problem["seq"], last.seq + 1);
}

TEST_F(Receipted, ReorderedAndRehashedEntriesAreDetected) {
  auto es = entries();
  const Entry a = es[es.size() - 2], b = es.back();
  rewrite_from(a.seq, {b, a});
  EXPECT_FALSE(verify_chain(store->sealer().suite(), entries())) << "the rebuilt chain verifies on its own";
  auto [code, problem] = verify_cli();
  EXPECT_EQ(code, 5);
  EXPECT_EQ(problem["kind"], "rewritten");
  EXPECT_EQ(store_check_cli(), 5);
}

TEST_F(Receipted, AMissingOrForgedAnchorIsDetected) {
  sql("UPDATE audit_anchor SET seq = seq - 1");
  EXPECT_EQ(verify_cli().second["kind"], "anchor_altered");
  sql("DELETE FROM audit_anchor");
  EXPECT_EQ(verify_cli().second["kind"], "anchor_missing");
  EXPECT_EQ(store_check_cli(), 5);
}

TEST_F(Receipted, ABreakStaysVisibleAfterLaterAppendsUntilATechnicianClearsIt) {
  const int64_t last = entries().back().seq;
  delete_application(ids[2]);
  sql("DELETE FROM audit_log WHERE seq = " + std::to_string(last));
  // The kiosk keeps working: the next append records the break.
  ASSERT_TRUE(AuditLog(store->db(), store->sealer()).append(kSessionStart, {{"n", 2}}).ok());
  auto [code, problem] = verify_cli();
  EXPECT_EQ(code, 5);
  EXPECT_EQ(problem["seq"], last);
  EXPECT_EQ(problem["kind"], "truncated");
  EXPECT_EQ(bm({"audit", "clear-break"}).exit_code, 1) << "--technician is required";
  ASSERT_EQ(bm({"audit", "clear-break", "--technician", "T-07"}).exit_code, 0);
  // The application's submission entry is gone too, so only the anchor
  // part clears: nothing else is missing (its application went with it).
  EXPECT_EQ(verify_cli().first, 0);
  EXPECT_EQ(entries().back().type, kAuditBreakCleared);
  EXPECT_EQ(entries().back().data["break_seq"], last);
  EXPECT_EQ(bm({"audit", "clear-break", "--technician", "T-07"}).exit_code, 2) << "nothing left to clear";
}

TEST_F(Receipted, AStoreFromBeforeAnchorsIsAnchoredWhenUpgraded) {
  // What a version-2 store had: none of the later migrations' tables.
  sql("DROP TABLE audit_anchor");
  sql("DROP TABLE clerks");
  sql("DROP TABLE tickets");
  sql("DROP TABLE schema_compat");
  sql("PRAGMA user_version = 2");
  store.reset();
  store = testing::open_store(dir);
  ASSERT_TRUE(store);
  EXPECT_EQ(verify_cli().first, 0);
  auto report = check_integrity(store->db(), store->sealer());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->anchor.seq, entries().back().seq);
  sql("DELETE FROM audit_log WHERE seq = " + std::to_string(entries().back().seq));
  EXPECT_EQ(verify_cli().first, 5);
}

}  // namespace
}  // namespace bianmin::audit
