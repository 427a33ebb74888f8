// Schema versions of central.db (PRAGMA user_version):
//   0  before issue 16: idempotency keys, feedback ids and blobs were global;
//   2  keys and feedback ids per terminal, blobs stored once by content with
//      per-terminal ownership and per-terminal partial uploads.
// An old database is brought forward in one transaction: applications and
// feedback keep their terminal; a complete blob is owned by the terminals
// whose applications reference it (who uploaded it was not recorded, and
// any other terminal simply uploads it again); partial uploads of unknown
// ownership are dropped, so their terminals start them over.
#include "central/central_db.h"

namespace bianmin::sync::central {
namespace {

constexpr int64_t kVersion = 2;

constexpr const char* kSetAside = R"sql(
DROP INDEX IF EXISTS applications_by_receipt;
ALTER TABLE applications RENAME TO applications_v0;
ALTER TABLE feedback RENAME TO feedback_v0;
ALTER TABLE blobs RENAME TO blobs_v0;
)sql";

constexpr const char* kCopy = R"sql(
INSERT INTO applications(client_id, terminal_id, receipt_no, item_code, channel, content_hash, body, response,
                         case_no, status, received_at, updated_at, deadline, token)
  SELECT client_id, terminal_id, receipt_no, item_code, channel, content_hash, body, response,
         case_no, status, received_at, updated_at, deadline, token FROM applications_v0;
INSERT INTO feedback(kind, id, terminal_id, content_hash, body, response, received_at)
  SELECT kind, id, terminal_id, content_hash, body, response, received_at FROM feedback_v0;
INSERT INTO blobs(sha256, length, completed_at)
  SELECT sha256, length, COALESCE(completed_at, '') FROM blobs_v0 WHERE complete = 1;
INSERT OR IGNORE INTO blob_owners(terminal_id, sha256)
  SELECT a.terminal_id, json_extract(b.value, '$.sha256')
  FROM (SELECT terminal_id, body FROM applications WHERE json_valid(body)) AS a,
       json_each(a.body, '$.materials') AS m,
       json_each(CASE WHEN m.type = 'object' THEN m.value ELSE '{}' END, '$.blobs') AS b
  WHERE b.type = 'object' AND json_extract(b.value, '$.sha256') IN (SELECT sha256 FROM blobs);
DROP TABLE applications_v0;
DROP TABLE feedback_v0;
DROP TABLE blobs_v0;
)sql";

Result<int64_t> scalar(CentralDb& db, const std::string& sql) {
  BIANMIN_ASSIGN(store::Statement st, db.prepare(sql));
  BIANMIN_ASSIGN(bool row, st.step());
  return row ? st.integer(0) : int64_t{0};
}

}  // namespace

Status migrate_schema(CentralDb& db, const char* schema) {
  BIANMIN_ASSIGN(int64_t version, scalar(db, "PRAGMA user_version"));
  if (version >= kVersion) return db.exec(schema);  // CREATE … IF NOT EXISTS: a no-op when current
  BIANMIN_ASSIGN(int64_t old, scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'applications'"));
  return db.transaction([&]() -> Status {
    if (old) BIANMIN_TRY(db.exec(kSetAside));
    BIANMIN_TRY(db.exec(schema));
    if (old) BIANMIN_TRY(db.exec(kCopy));
    return db.exec("PRAGMA user_version = " + std::to_string(kVersion));
  });
}

}  // namespace bianmin::sync::central
