#include "outbox/application_store.h"

#include "store/store.h"

namespace bianmin::outbox {
namespace {

constexpr const char* kColumns =
    "client_id, receipt_no, item_code, item_name, channel, submitted_at, promised_days, state, attempts, "
    "next_attempt_at, last_error, quarantine_reason, case_no, central_status, deadline, delivered_at, "
    "receipt_state, purged_at";

ApplicationRecord read_row(const store::Statement& st) {
  ApplicationRecord r;
  r.client_id = st.text(0);
  r.receipt_no = st.text(1);
  r.item_code = st.text(2);
  r.item_name = st.text(3);
  r.channel = st.text(4);
  r.submitted_at = st.text(5);
  if (!st.is_null(6)) r.promised_days = st.integer(6);
  r.state = st.text(7);
  r.attempts = st.integer(8);
  r.next_attempt_at = st.opt_text(9);
  r.last_error = st.opt_text(10);
  r.quarantine_reason = st.opt_text(11);
  r.case_no = st.opt_text(12);
  r.central_status = st.opt_text(13);
  r.deadline = st.opt_text(14);
  r.delivered_at = st.opt_text(15);
  r.receipt_state = st.text(16);
  r.purged = !st.is_null(17);
  return r;
}

}  // namespace

Result<std::vector<StoredBlob>> ApplicationStore::blobs_of(const std::string& client_id) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "SELECT m.material_id, m.seq, m.sha256, b.bytes, b.mime, m.pages, b.uploaded "
      "FROM application_materials m JOIN blobs b ON b.sha256 = m.sha256 "
      "WHERE m.client_id = ? ORDER BY m.rowid"));
  st.bind(1, client_id);
  std::vector<StoredBlob> out;
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back({st.text(0), st.integer(1), st.text(2), st.integer(3), st.text(4), st.integer(5), st.integer(6) != 0});
  }
  return out;
}

Result<std::vector<ApplicationRecord>> ApplicationStore::list(const ListFilter& f) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM applications";
  if (f.state) sql += " WHERE state = ?";
  sql += " ORDER BY submitted_at, rowid LIMIT ?";
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(sql));
  int i = 1;
  if (f.state) st.bind(i++, *f.state);
  st.bind(i, f.limit);
  std::vector<ApplicationRecord> out;
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(read_row(st));
  }
  for (auto& r : out) {
    BIANMIN_ASSIGN(r.blobs, blobs_of(r.client_id));
  }
  return out;
}

Result<std::optional<ApplicationRecord>> ApplicationStore::get(const std::string& id) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      std::string("SELECT ") + kColumns + " FROM applications WHERE client_id = ? OR receipt_no = ?"));
  st.bind(1, id).bind(2, id);
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return std::optional<ApplicationRecord>();
  ApplicationRecord r = read_row(st);
  BIANMIN_ASSIGN(r.blobs, blobs_of(r.client_id));
  return std::optional<ApplicationRecord>(std::move(r));
}

Result<std::string> ApplicationStore::request_body(const std::string& client_id) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare("SELECT sealed_body FROM applications WHERE client_id = ?"));
  st.bind(1, client_id);
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return make_error("not_found", "no application " + client_id);
  if (st.is_null(0)) return make_error("purged", "application " + client_id + " was purged after retention");
  return store_.sealer().open(st.blob(0), "application:" + client_id);
}

Result<int64_t> ApplicationStore::count(const std::string& state) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare("SELECT COUNT(*) FROM applications WHERE state = ?"));
  st.bind(1, state);
  BIANMIN_ASSIGN(bool row, st.step());
  return row ? st.integer(0) : int64_t{0};
}

}  // namespace bianmin::outbox
