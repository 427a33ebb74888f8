#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include <filesystem>

#include "store/migrations.h"
#include "store_fixture.h"

namespace bianmin::store {
namespace {

using testing::TempDir;

TEST(Store, CreatesSchemaInWalMode) {
  TempDir dir;
  auto s = testing::open_store(dir);
  ASSERT_TRUE(s);
  auto v = s->db().user_version();
  ASSERT_TRUE(v.ok());
  EXPECT_GE(*v, 1);
  auto st = s->db().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->text(0), "wal");
}

// What a newer firmware's migrations do to the database: schema `version`,
// usable by firmware from schema `readers_from` on.
void migrate_as_newer_firmware(const std::string& db, int version, int readers_from) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  const std::string sql = "CREATE TABLE IF NOT EXISTS future_feature (x TEXT); UPDATE schema_compat SET readers_from = " +
                          std::to_string(readers_from) + "; PRAGMA user_version = " + std::to_string(version);
  ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
}

TEST(Store, RefusesANewerDatabaseAndLeavesItUntouched) {
  TempDir dir;
  { auto s = testing::open_store(dir); }
  const std::string db = dir.path() + "/data/bianmin.db";
  migrate_as_newer_firmware(db, 999, 999);  // a migration older firmware cannot follow
  const std::string before = testing::read_file(db);
  auto s = Store::open(testing::options_for(dir));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "db_too_new");
  EXPECT_NE(s.error().message.find("999"), std::string::npos);
  EXPECT_EQ(testing::read_file(db), before);
}

// After a rollback to the older slot: the newer slot's additive migration
// left the store usable, and what it holds is all there.
TEST(Store, OpensANewerDatabaseThatOnlyAddedWhatThisFirmwareCanIgnore) {
  TempDir dir;
  {
    auto s = testing::open_store(dir);
    ASSERT_TRUE(s->db().exec("INSERT INTO settings (key, value, updated_at) VALUES ('probe', 'kept', 'now')").ok());
  }
  const std::string db = dir.path() + "/data/bianmin.db";
  migrate_as_newer_firmware(db, static_cast<int>(latest_schema_version()) + 2, 1);
  auto s = Store::open(testing::options_for(dir));
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto v = (*s)->db().user_version();
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, latest_schema_version() + 2);  // not migrated down, not touched
  auto st = (*s)->db().prepare("SELECT value FROM settings WHERE key = 'probe'");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->text(0), "kept");
  EXPECT_TRUE((*s)->db().exec("INSERT INTO settings (key, value, updated_at) VALUES ('after', 'rollback', 'now')").ok());
}

TEST(Store, CryptoSuiteIsFixedAtFirstStart) {
  TempDir dir;
  { auto s = testing::open_store(dir, crypto::Suite::gm); }
  auto again = Store::open(testing::options_for(dir, crypto::Suite::standard));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "suite_mismatch");
}

TEST(Store, NotADatabaseIsAClearError) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/data");
  testing::write_file(dir.path() + "/data/bianmin.db", std::string(4096, 'x'));
  auto s = Store::open(testing::options_for(dir));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "corrupt") << s.error().message;
}

// Issue 16, item 9: the database was created 0644 and an existing 0755 data
// directory was left as it was; the store, its WAL and the key are the
// owner's alone.
TEST(Store, DataIsTheOwnersAloneEvenInADirectoryOpenToOthers) {
  testing::TempDir dir;
  const auto o = testing::options_for(dir);
  const mode_t old_umask = ::umask(022);
  ASSERT_EQ(::mkdir(o.data_dir.c_str(), 0755), 0);
  auto mode_of = [](const std::string& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
  };
  {
    auto s = testing::open_store(dir);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->set_setting("probe", "1").ok());
    EXPECT_EQ(mode_of(o.data_dir), 0700u);
    EXPECT_EQ(mode_of(o.data_dir + "/bianmin.db"), 0600u);
    EXPECT_EQ(mode_of(o.data_dir + "/bianmin.db-wal"), 0600u);
    EXPECT_EQ(mode_of(o.key_file), 0600u);
  }
  // What an older firmware left behind is tightened at the next start.
  ASSERT_EQ(::chmod(o.data_dir.c_str(), 0755), 0);
  ASSERT_EQ(::chmod((o.data_dir + "/bianmin.db").c_str(), 0644), 0);
  auto again = testing::open_store(dir);
  ASSERT_TRUE(again);
  EXPECT_EQ(mode_of(o.data_dir), 0700u);
  EXPECT_EQ(mode_of(o.data_dir + "/bianmin.db"), 0600u);
  ::umask(old_umask);
}

TEST(BlobStore, StoresSealedAndVerifies) {
  TempDir dir;
  auto s = testing::open_store(dir);
  auto ref = s->blobs().put("page one");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->sha256, crypto::sha256_hex("page one"));
  EXPECT_EQ(ref->bytes, 8);
  const std::string on_disk = testing::read_file(s->blobs().path_of(ref->sha256));
  EXPECT_EQ(on_disk.find("page one"), std::string::npos) << "blob files are sealed";
  auto back = s->blobs().get(ref->sha256);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "page one");

  std::string damaged = on_disk;
  damaged[damaged.size() / 2] ^= 1;
  testing::write_file(s->blobs().path_of(ref->sha256), damaged);
  auto bad = s->blobs().get(ref->sha256);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "blob_corrupt");
}

TEST(Recovery, RemovesTempAndOrphansReportsMissing) {
  TempDir dir;
  auto s = testing::open_store(dir);
  auto cat = testing::import_mini(*s);
  auto req = testing::valid_request(cat, "kept page");
  outbox::SubmitService svc(*s, "K01");
  auto done = svc.submit(req);
  ASSERT_TRUE(done.ok()) << done.error().message;

  testing::write_file(s->blobs().tmp_dir() + "/abc.1234.tmp", "half written");
  auto orphan = s->blobs().put("written but never committed");
  ASSERT_TRUE(orphan.ok());

  auto rep = s->recover();
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->temp_files_removed, 1);
  EXPECT_EQ(rep->orphan_blobs_removed, 1);
  EXPECT_TRUE(rep->missing.empty());
  EXPECT_FALSE(s->blobs().has(orphan->sha256));
  EXPECT_TRUE(s->blobs().has(crypto::sha256_hex("kept page")));

  ASSERT_TRUE(s->blobs().remove(crypto::sha256_hex("kept page")).ok());
  rep = s->recover();
  ASSERT_TRUE(rep.ok());
  ASSERT_EQ(rep->missing.size(), 1u);
  EXPECT_EQ(rep->missing[0].client_id, done->client_id);
}

TEST(Recovery, NeverTakesAnotherWritersBlobForAnOrphan) {
  TempDir dir;
  auto s = testing::open_store(dir);
  auto lock = s->blobs().lock_shared();  // a writer between blob write and commit
  ASSERT_TRUE(lock.ok());
  auto ref = s->blobs().put("in flight");
  auto other = testing::open_store(dir);  // e.g. syncd starting meanwhile
  auto rep = other->recover();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->skipped);
  EXPECT_TRUE(s->blobs().has(ref->sha256));
}

TEST(Store, TwoProcessesWriteWithoutBusyErrors) {
  TempDir dir;
  auto a = testing::open_store(dir);
  auto b = testing::open_store(dir);
  auto cat = testing::import_mini(*a);
  outbox::SubmitService sa(*a, "K01"), sb(*b, "K01");
  std::vector<std::string> receipts;
  for (int i = 0; i < 10; ++i) {
    auto ra = testing::valid_request(cat, "a" + std::to_string(i));
    auto rb = testing::valid_request(cat, "b" + std::to_string(i));
    auto x = sa.submit(ra);
    auto y = sb.submit(rb);
    ASSERT_TRUE(x.ok() && y.ok());
    receipts.push_back(x->receipt_no);
    receipts.push_back(y->receipt_no);
  }
  std::sort(receipts.begin(), receipts.end());
  EXPECT_EQ(std::unique(receipts.begin(), receipts.end()), receipts.end()) << "receipt numbers are unique";
}

TEST(Store, FullDatabaseIsAClearErrorAndLosesNothing) {
  TempDir dir;
  auto s = testing::open_store(dir);
  auto cat = testing::import_mini(*s);
  outbox::SubmitService svc(*s, "K01");
  auto first = testing::valid_request(cat, "first");
  auto ok = svc.submit(first);
  ASSERT_TRUE(ok.ok());
  // Cap the database at its current size: the next insert cannot grow it.
  auto pages = s->db().prepare("PRAGMA page_count");
  ASSERT_TRUE(pages.ok() && *pages->step());
  ASSERT_TRUE(s->db().exec("PRAGMA max_page_count = " + std::to_string(pages->integer(0))).ok());
  Result<outbox::Submitted> last = make_error("none", "");
  for (int i = 0; i < 200 && (i == 0 || last.ok()); ++i) {
    auto req = testing::valid_request(cat, std::string(3000, static_cast<char>('a' + i % 26)) + std::to_string(i));
    last = svc.submit(req);
  }
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().code, "disk_full") << last.error().message;
  outbox::ApplicationStore apps(*s);
  auto got = apps.get(ok->client_id);
  ASSERT_TRUE(got.ok() && got->has_value());
  auto body = apps.request_body(ok->client_id);
  EXPECT_TRUE(body.ok());
  EXPECT_EQ(*s->db().integrity_check(), "ok");
}

}  // namespace
}  // namespace bianmin::store
