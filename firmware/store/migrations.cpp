#include "store/migrations.h"

#include <string>
#include <string_view>

#include "base/log.h"
#include "store/database.h"

namespace bianmin::store {
namespace {

// Version N is kMigrations[N - 1].
constexpr std::string_view kMigrations[] = {
    // 1: the initial schema.
    R"sql(
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The published lists as imported or downloaded; exactly one is active.
CREATE TABLE catalog_snapshots (
  id            INTEGER PRIMARY KEY,
  version       TEXT NOT NULL,
  region_code   TEXT NOT NULL,
  etag          TEXT,
  source        TEXT NOT NULL,
  imported_at   TEXT NOT NULL,
  item_count    INTEGER NOT NULL,
  skipped_count INTEGER NOT NULL,
  body          TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX catalog_one_active ON catalog_snapshots(active) WHERE active = 1;

-- The outbox. `sealed_body` is the exact request body for the central,
-- sealed with the device key; it is sent byte for byte on every retry so
-- that idempotent replays match. NULL after the retention purge.
CREATE TABLE applications (
  client_id         TEXT PRIMARY KEY,
  receipt_no        TEXT NOT NULL UNIQUE,
  item_code         TEXT NOT NULL,
  item_name         TEXT NOT NULL,
  channel           TEXT NOT NULL CHECK (channel IN ('kiosk', 'window')),
  submitted_at      TEXT NOT NULL,
  promised_days     INTEGER,
  sealed_body       BLOB,
  state             TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'delivered', 'quarantined', 'discarded')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   TEXT,
  last_error        TEXT,
  quarantine_reason TEXT,
  case_no           TEXT,
  central_status    TEXT,
  deadline          TEXT,
  status_updated_at TEXT,
  delivered_at      TEXT,
  receipt_state     TEXT NOT NULL DEFAULT 'pending' CHECK (receipt_state IN ('pending', 'printed')),
  purged_at         TEXT
);
CREATE INDEX applications_by_state ON applications(state, submitted_at);

-- Material blobs: files named by the SHA-256 of their plaintext, sealed.
CREATE TABLE blobs (
  sha256    TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  bytes     INTEGER NOT NULL,
  mime      TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  uploaded  INTEGER NOT NULL DEFAULT 0,
  purged_at TEXT
);

CREATE TABLE application_materials (
  client_id   TEXT NOT NULL REFERENCES applications(client_id),
  material_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  sha256      TEXT NOT NULL REFERENCES blobs(sha256),
  pages       INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (client_id, material_id, seq)
);
CREATE INDEX application_materials_by_blob ON application_materials(sha256);

CREATE TABLE ratings (
  id              TEXT PRIMARY KEY,
  client_id       TEXT,
  item_code       TEXT,
  level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  tags            TEXT NOT NULL,
  sealed_comment  BLOB,
  at              TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'delivered', 'quarantined')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error      TEXT
);

CREATE TABLE complaints (
  id              TEXT PRIMARY KEY,
  about           TEXT NOT NULL CHECK (about IN ('service', 'staff', 'fee', 'other')),
  sealed_body     BLOB NOT NULL,
  client_id       TEXT,
  at              TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'delivered', 'quarantined')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error      TEXT
);

-- The audit hash chain (spec: Audit). Data holds masked values only.
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  type      TEXT NOT NULL,
  data      TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL,
  uploaded  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
)sql",
    // 2: delivery bookkeeping of the sync daemon (issue 6).
    R"sql(
-- When the sync daemon last asked the central for this application's
-- progress: status polling rotates through open applications oldest-polled
-- first, so a long list is covered evenly.
ALTER TABLE applications ADD COLUMN status_polled_at TEXT;
CREATE INDEX applications_status_poll ON applications(state, status_polled_at);
-- Audit entries not yet accepted by the central, in chain order.
CREATE INDEX audit_log_pending ON audit_log(uploaded, seq);
)sql",
    // 3: the keyed head anchor of the audit chain (issue 16; audit/anchor.h).
    R"sql(
-- One row: the newest entry, what the central accepted, the first break
-- found, and a MAC over them with a subkey of the device key. SQL cannot
-- make the MAC: the store's after-migration step writes the row in this
-- same transaction (store/store.cpp).
CREATE TABLE audit_anchor (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  seq           INTEGER NOT NULL,
  hash          TEXT NOT NULL,
  central_seq   INTEGER NOT NULL,
  central_hash  TEXT NOT NULL,
  break_seq     INTEGER NOT NULL,
  break_kind    TEXT NOT NULL,
  break_message TEXT NOT NULL,
  break_at      TEXT NOT NULL,
  mac           TEXT NOT NULL
);
)sql",
    // 4: the counter (issue 15): clerk accounts and the hall's queue tickets.
    R"sql(
-- Clerks who may sign in at this counter, provisioned by a technician.
-- pin_hash is scrypt (access/pin_hash.h); failures/locked_until are the
-- PIN lockout (access/pin_lockout.h), per clerk.
CREATE TABLE clerks (
  clerk_id      TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  pin_hash      TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
  pin_failures  INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
-- 排队取号: numbers restart each local day per service line.
CREATE TABLE tickets (
  day        TEXT NOT NULL,
  line       TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  line_name  TEXT NOT NULL,
  issued_at  TEXT NOT NULL,
  ahead      INTEGER NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'served', 'no_show')),
  window_no  TEXT NOT NULL DEFAULT '',
  clerk_id   TEXT NOT NULL DEFAULT '',
  called_at  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (day, line, seq)
);
CREATE INDEX tickets_waiting ON tickets(day, state, issued_at);
)sql",
    // 5: A/B updates (issue 12). After a rollback the older slot's firmware
    // opens a store that a newer one may have migrated: readers_from is the
    // oldest schema version whose firmware can still read and write this
    // database. A migration that only adds (tables, columns with defaults,
    // indexes) leaves it; one that changes what older firmware relies on
    // raises it to its own version. Every migration so far only adds.
    R"sql(
CREATE TABLE schema_compat (
  readers_from INTEGER NOT NULL
);
INSERT INTO schema_compat (readers_from) VALUES (1);
)sql",
};

}  // namespace

int64_t latest_schema_version() { return static_cast<int64_t>(std::size(kMigrations)); }

Result<int64_t> oldest_compatible_reader(Database& db) {
  BIANMIN_ASSIGN(Statement st, db.prepare("SELECT readers_from FROM schema_compat"));
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return make_error("corrupt", "schema_compat has no row");
  return st.integer(0);
}

Status migrate(Database& db, const AfterMigration& after) {
  for (;;) {
    // Re-read inside the transaction: the other process may have migrated.
    Status st = db.transaction([&]() -> Status {
      BIANMIN_ASSIGN(int64_t v, db.user_version());
      if (v >= latest_schema_version()) return make_error("up_to_date", "");
      BIANMIN_TRY(db.exec(kMigrations[v]));
      if (after) BIANMIN_TRY(after(db, v + 1));
      BIANMIN_TRY(db.exec("PRAGMA user_version = " + std::to_string(v + 1)));
      log::info("store", "applied migration", {{"version", v + 1}});
      return {};
    });
    if (!st) {
      if (st.error().code == "up_to_date") return {};
      return st.take_error().context("migrate");
    }
  }
}

}  // namespace bianmin::store
