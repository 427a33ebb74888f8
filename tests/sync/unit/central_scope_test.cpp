// Issue 16, items 4 and 5: what a terminal sends is durable before the
// central says so, and idempotency keys, blobs and receipts are scoped per
// terminal, so that one enrolled terminal can neither squat another's keys
// nor learn which blobs another has uploaded.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "central/central_db.h"
#include "central_fixture.h"
#include "common/wire.h"
#include "crypto/suite.h"

namespace bianmin::sync {
namespace {

class CentralScope : public CentralSpec {
 protected:
  // Two enrolled terminals of different halls.
  void SetUp() override {
    CentralSpec::SetUp();
    a_ = enrolled("scope-a", "620702-001-K03");
    b_ = enrolled("scope-b", "620702-002-K04");
  }
  static std::string head_status(HttpClient& c, const std::string& sha) {
    auto r = c.send({"HEAD", "/api/v1/blobs/" + sha, {}, {}});
    return r.ok() ? std::to_string(r->status) + " " + r->header("upload-offset") : r.error().message;
  }
  std::unique_ptr<HttpClient> a_, b_;
};

TEST_F(CentralScope, ASquattedClientIdDoesNotQuarantineTheRealApplication) {
  const std::string id = "0193f1c2-0000-7000-8000-00000000a001";
  json real = application(id, "T-QR-0001", {}, 0);
  json squat = real;
  squat["form"]["phone"] = "13900000000";  // other content under the same key
  // The rogue terminal gets there first.
  auto rogue = post(*b_, "/api/v1/applications", squat.dump(), id);
  ASSERT_EQ(rogue.status, 201) << rogue.body;
  auto first = post(*a_, "/api/v1/applications", real.dump(), id);
  ASSERT_EQ(first.status, 201) << first.body;  // not 422 idempotency_conflict
  EXPECT_NE(wire::parse_acceptance(first.body)->case_no, wire::parse_acceptance(rogue.body)->case_no);
  // Each terminal's replay gets its own record back.
  EXPECT_EQ(post(*a_, "/api/v1/applications", real.dump(), id).body, first.body);
  EXPECT_EQ(post(*b_, "/api/v1/applications", squat.dump(), id).body, rogue.body);
  // And each sees only its own status.
  auto mine = wire::parse_status_list(post(*a_, "/api/v1/applications/status", json{{"client_ids", {id}}}.dump()).body);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].case_no, wire::parse_acceptance(first.body)->case_no);
}

TEST_F(CentralScope, RatingAndComplaintIdsArePerTerminal) {
  const json rating = {{"id", "r-0001"}, {"level", 5}, {"tags", json::array()}, {"at", "2026-11-22T09:31:05+08:00"}};
  json other = rating;
  other["level"] = 1;
  EXPECT_EQ(post(*b_, "/api/v1/ratings", other.dump(), "r-0001").status, 201);
  EXPECT_EQ(post(*a_, "/api/v1/ratings", rating.dump(), "r-0001").status, 201);
  EXPECT_EQ(post(*a_, "/api/v1/ratings", rating.dump(), "r-0001").status, 200);
  const json complaint = {{"id", "q-0001"}, {"about", "service"}, {"text", "排队太久"}, {"at", "2026-11-22T09:31:05+08:00"}};
  json other_complaint = complaint;
  other_complaint["text"] = "别的";
  EXPECT_EQ(post(*b_, "/api/v1/complaints", other_complaint.dump(), "q-0001").status, 201);
  EXPECT_EQ(post(*a_, "/api/v1/complaints", complaint.dump(), "q-0001").status, 201);
}

TEST_F(CentralScope, ATerminalSeesOnlyTheBlobsItUploaded) {
  const std::string page(20000, 'a');
  const std::string sha = crypto::sha256_hex(page);
  ASSERT_EQ(patch(*a_, sha, 0, 20000, page).status, 204);
  EXPECT_EQ(head_status(*a_, sha), "200 20000");
  // B cannot probe A's blob, by HEAD or by a PATCH that would reveal the offset.
  EXPECT_EQ(head_status(*b_, sha), "404 ");
  auto partial = patch(*b_, sha, 0, 20000, std::string_view(page).substr(0, 5000));
  EXPECT_EQ(partial.status, 204);
  EXPECT_EQ(partial.header("upload-offset"), "5000");
  EXPECT_EQ(head_status(*a_, sha), "200 20000");  // A's complete blob is untouched
  // Nor reference it in an application.
  const std::string id = "0193f1c2-0000-7000-8000-00000000b001";
  auto refused = post(*b_, "/api/v1/applications", application(id, "T-QR-0001", {sha}, 20000).dump(), id);
  EXPECT_EQ(refused.status, 412);
  EXPECT_EQ(wire::parse_error(refused.body)->missing, std::vector<std::string>{sha});
  // Once B has sent the bytes itself, the blob is B's too (stored once).
  auto rest = patch(*b_, sha, 5000, 20000, std::string_view(page).substr(5000));
  EXPECT_EQ(rest.status, 204);
  EXPECT_EQ(head_status(*b_, sha), "200 20000");
  EXPECT_EQ(post(*b_, "/api/v1/applications", application(id, "T-QR-0001", {sha}, 20000).dump(), id).status, 201);
  auto stats = central_->stats(true);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)["blobs_complete"], 1);
  EXPECT_EQ((*stats)["blobs_bad"], 0);
}

TEST_F(CentralScope, AForgedBlobOfOneTerminalDoesNotDiscardAnothersUpload) {
  const std::string page(8000, 'c');
  const std::string sha = crypto::sha256_hex(page);
  ASSERT_EQ(patch(*a_, sha, 0, 8000, std::string_view(page).substr(0, 4000)).status, 204);
  // B sends bytes that do not hash to the address: only B's upload is discarded.
  EXPECT_EQ(patch(*b_, sha, 0, 8000, std::string(8000, 'x')).status, 422);
  EXPECT_EQ(head_status(*a_, sha), "200 4000");
  EXPECT_EQ(patch(*a_, sha, 4000, 8000, std::string_view(page).substr(4000)).status, 204);
  EXPECT_EQ(head_status(*a_, sha), "200 8000");
}

TEST_F(CentralScope, AReceiptQueryFindsTheApplicationItsTokenBelongsTo) {
  const std::string id = "0193f1c2-0000-7000-8000-00000000c001";
  json from_a = application(id, "T-QR-0001", {}, 0);
  json from_b = from_a;
  from_a["receipt_token"] = std::string(64, 'a');
  from_b["receipt_token"] = std::string(64, 'b');
  from_b["form"]["phone"] = "13900000001";
  ASSERT_EQ(post(*a_, "/api/v1/applications", from_a.dump(), id).status, 201);
  auto b_acc = post(*b_, "/api/v1/applications", from_b.dump(), id);
  ASSERT_EQ(b_acc.status, 201);
  const std::string receipt = from_a["receipt_no"];
  auto query = [&](char token) {
    return a_->send({"GET", "/api/v1/progress?receipt_no=" + receipt + "&token=" + std::string(64, token), {}, {}});
  };
  auto found = query('b');
  ASSERT_EQ(found->status, 200);
  EXPECT_EQ(wire::parse_status(found->body)->case_no, wire::parse_acceptance(b_acc.body)->case_no);
  EXPECT_EQ(query('c')->status, 404);
}

// Item 4: a 201 is only sent after the commit reached the disk.
TEST(CentralDurability, TheCentralsDatabaseSyncsEveryCommit) {
  testing::TempDir dir;
  auto db = central::CentralDb::open(dir.file("central.db"));
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto lock = (*db)->lock();
  auto st = (*db)->prepare("PRAGMA synchronous");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->integer(0), 2);  // FULL
}

// A central.db written before the per-terminal scoping keeps its
// applications, feedback and the blobs its applications reference.
TEST(CentralMigration, AnOldDatabaseIsScopedPerTerminal) {
  testing::TempDir dir;
  const std::string path = dir.file("central.db");
  const std::string sha = std::string(64, 'd');
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    const std::string body = json{{"client_id", "c1"}, {"materials", {{{"material_id", "m1"},
                                  {"blobs", {{{"sha256", sha}, {"bytes", 10}}}}}}}}.dump();
    const std::string sql = R"sql(
      CREATE TABLE applications (client_id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, receipt_no TEXT NOT NULL,
        item_code TEXT NOT NULL, channel TEXT NOT NULL, content_hash TEXT NOT NULL, body TEXT NOT NULL,
        response TEXT NOT NULL, case_no TEXT NOT NULL UNIQUE, status TEXT NOT NULL, received_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, deadline TEXT NOT NULL, token TEXT NOT NULL);
      CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, length INTEGER NOT NULL, complete INTEGER NOT NULL DEFAULT 0,
        completed_at TEXT);
      CREATE TABLE feedback (kind TEXT NOT NULL, id TEXT NOT NULL, terminal_id TEXT NOT NULL,
        content_hash TEXT NOT NULL, body TEXT NOT NULL, response TEXT NOT NULL, received_at TEXT NOT NULL,
        PRIMARY KEY (kind, id));
      INSERT INTO applications VALUES('c1', 'T1', 'K03-1', 'I', 'kiosk', 'h', ')sql" + body + R"sql(', '{}', 'case-1',
        'received', 'now', 'now', 'then', 'tok');
      INSERT INTO blobs VALUES(')sql" + sha + R"sql(', 10, 1, 'now');
      INSERT INTO blobs VALUES(')sql" + std::string(64, 'e') + R"sql(', 10, 0, NULL);
      INSERT INTO feedback VALUES('rating', 'r1', 'T1', 'h', '{}', '{}', 'now');
    )sql";
    ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
    sqlite3_close(raw);
  }
  auto db = central::CentralDb::open(path);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto lock = (*db)->lock();
  auto one = [&](const std::string& sql) -> std::string {
    auto st = (*db)->prepare(sql);
    if (!st) return st.error().message;
    auto row = st->step();
    return row && *row ? st->text(0) : "";
  };
  EXPECT_EQ(one("SELECT terminal_id || '/' || client_id FROM applications"), "T1/c1");
  EXPECT_EQ(one("SELECT terminal_id FROM feedback WHERE id = 'r1'"), "T1");
  EXPECT_EQ(one("SELECT terminal_id FROM blob_owners WHERE sha256 = '" + sha + "'"), "T1");
  EXPECT_EQ(one("SELECT COUNT(*) FROM blobs"), "1");  // the partial blob had no known owner
  // The same client_id from another terminal is now a separate record.
  EXPECT_TRUE((*db)->exec("INSERT INTO applications(client_id, terminal_id, receipt_no, item_code, channel, content_hash, "
                          "body, response, case_no, status, received_at, updated_at, deadline, token) VALUES('c1', "
                          "'T2', 'K04-1', 'I', 'kiosk', 'h', '{}', '{}', 'case-2', 'received', 'now', 'now', 'then', "
                          "'tok')").ok());
}

}  // namespace
}  // namespace bianmin::sync
