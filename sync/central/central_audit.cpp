// Audit chains at the central (spec: Audit) and their breaks (issue 16,
// item 3). Entries already held must match; new ones must follow on; the
// valid prefix of a batch is kept, so a terminal learns exactly where its
// chain breaks. A break is not just logged: it is persisted, and from then
// on the terminal's chain does not advance (409 chain_broken naming the
// broken entry, every time) until an operator clears it, which keeps the
// entries the central held from the break on as evidence.
//
// A batch that merely starts after the central's last entry (the central
// holds less than the terminal marked, e.g. a restored database) is not a
// break: 409 names the next entry and the terminal sends again from there.
#include "audit/audit_log.h"
#include "base/log.h"
#include "base/time.h"
#include "central/central.h"
#include "central/http_util.h"
#include "central/requests.h"
#include "crypto/suite.h"

namespace bianmin::sync::central {

using json = nlohmann::json;

namespace {

struct OpenBreak {
  int64_t id = 0, seq = 0;
  std::string problem, detected_at;
};

// The caller holds the db lock.
Result<std::optional<OpenBreak>> open_break(CentralDb& db, const std::string& terminal_id) {
  BIANMIN_ASSIGN(store::Statement st, db.prepare(
      "SELECT id, seq, problem, detected_at FROM audit_breaks WHERE terminal_id = ? AND cleared_at IS NULL"));
  st.bind(1, terminal_id);
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return std::optional<OpenBreak>();
  return std::optional<OpenBreak>(OpenBreak{st.integer(0), st.integer(1), st.text(2), st.text(3)});
}

// Where a batch stops following the chain the central holds.
struct Verdict {
  std::vector<const audit::Entry*> fresh;  // the valid new entries, in order
  std::optional<std::string> problem;
  int64_t expected_seq = 0;
  bool is_break = false;  // false: only a gap before the batch (the central is behind)
};

}  // namespace

void Central::on_audit(const httplib::Request& req, httplib::Response& res) {
  auto terminal = authenticate(req, res);
  if (!terminal) return;
  if (req.body.size() > kMaxJsonBody * 4) return reply_error(res, 413, "too_large", "send fewer entries per request");
  auto entries = parse_audit_upload(req.body);
  if (!entries) return reply_error(res, 400, "bad_request", entries.error().message);
  const crypto::Suite suite = terminal->hash == "sm3" ? crypto::Suite::gm : crypto::Suite::standard;
  const std::string& tid = terminal->terminal_id;
  auto lock = db_->lock();
  auto broken = open_break(*db_, tid);
  if (!broken) return reply_error(res, 500, "internal", broken.error().message);
  if (*broken)
    return reply_error(res, 409, "chain_broken",
                       "this terminal's audit chain is broken at entry " + std::to_string((*broken)->seq) + " (found " +
                           (*broken)->detected_at + ": " + (*broken)->problem +
                           "); it does not advance until an operator clears the break",
                       {{"expected_seq", (*broken)->seq}});
  int64_t seq = 0;
  std::string hash;
  {
    auto st = db_->prepare("SELECT audit_seq, audit_hash FROM terminals WHERE terminal_id = ?");
    if (!st) return reply_error(res, 500, "internal", st.error().message);
    st->bind(1, tid);
    if (auto row = st->step(); !row || !*row) return reply_error(res, 500, "internal", "terminal vanished");
    seq = st->integer(0);
    hash = st->text(1);
  }
  Verdict v;
  for (const auto& e : *entries) {
    if (e.seq <= seq) {
      auto held = db_->prepare("SELECT hash FROM audit_entries WHERE terminal_id = ? AND seq = ?");
      if (!held) return reply_error(res, 500, "internal", held.error().message);
      held->bind(1, tid).bind(2, e.seq);
      auto row = held->step();
      if (!row || !*row || held->text(0) != e.hash) {
        v.problem = "entry " + std::to_string(e.seq) + " differs from the one this central holds";
        v.expected_seq = e.seq;
        v.is_break = true;
        break;
      }
      continue;
    }
    const int64_t prev_seq = v.fresh.empty() ? seq : v.fresh.back()->seq;
    const std::string prev_hash = v.fresh.empty() ? hash : v.fresh.back()->hash;
    if (auto p = audit::verify_chain(suite, {e}, prev_seq, prev_hash)) {
      v.problem = p->message;
      v.expected_seq = p->seq;
      // The first new entry starting after a gap: the central is behind.
      v.is_break = !(p->kind == "removed" && prev_seq == seq && e.seq > seq + 1);
      break;
    }
    v.fresh.push_back(&e);
  }
  auto done = db_->transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement ins, db_->prepare(
        "INSERT INTO audit_entries(terminal_id, seq, at, type, data, prev_hash, hash) VALUES(?, ?, ?, ?, ?, ?, ?)"));
    for (const auto* e : v.fresh) {
      ins.bind(1, tid).bind(2, e->seq).bind(3, e->at).bind(4, e->type)
          .bind(5, e->data.dump(-1, ' ', false, json::error_handler_t::replace)).bind(6, e->prev_hash).bind(7, e->hash);
      BIANMIN_TRY(ins.run());
      ins.reset();
    }
    if (!v.fresh.empty()) {
      BIANMIN_ASSIGN(store::Statement up, db_->prepare(
          "UPDATE terminals SET audit_seq = ?, audit_hash = ? WHERE terminal_id = ?"));
      up.bind(1, v.fresh.back()->seq).bind(2, v.fresh.back()->hash).bind(3, tid);
      BIANMIN_TRY(up.run());
    }
    if (!v.is_break) return {};
    BIANMIN_ASSIGN(store::Statement rec, db_->prepare(
        "INSERT INTO audit_breaks(terminal_id, seq, problem, detected_at) VALUES(?, ?, ?, ?)"));
    rec.bind(1, tid).bind(2, v.expected_seq).bind(3, *v.problem).bind(4, time::now_rfc3339());
    return rec.run();
  });
  if (!done) return reply_error(res, 500, "internal", done.error().message);
  if (v.problem) {
    if (v.is_break)
      log::error("central", "audit chain broken: the terminal's chain stops here until an operator clears it",
                 {{"terminal_id", tid}, {"seq", v.expected_seq}, {"problem", *v.problem}});
    return reply_error(res, 409, "chain_broken", *v.problem, {{"expected_seq", v.expected_seq}});
  }
  reply_json(res, 200, {{"accepted_through", v.fresh.empty() ? seq : v.fresh.back()->seq}});
}

Result<json> Central::clear_audit_break(const std::string& terminal_id, const std::string& cleared_by,
                                        const std::string& note) {
  if (cleared_by.empty()) return make_error("input_invalid", "--operator is required");
  auto lock = db_->lock();
  json out;
  BIANMIN_TRY(db_->transaction([&]() -> Status {
    BIANMIN_ASSIGN(auto open, open_break(*db_, terminal_id));
    if (!open) return make_error("not_found", "no open audit chain break for terminal " + terminal_id);
    // What the central held from the break on is kept, not lost: the
    // terminal's chain continues from the entry before it.
    BIANMIN_ASSIGN(store::Statement keep, db_->prepare(
        "INSERT INTO audit_superseded(break_id, terminal_id, seq, at, type, data, prev_hash, hash) "
        "SELECT ?, terminal_id, seq, at, type, data, prev_hash, hash FROM audit_entries "
        "WHERE terminal_id = ? AND seq >= ?"));
    keep.bind(1, open->id).bind(2, terminal_id).bind(3, open->seq);
    BIANMIN_TRY(keep.run());
    BIANMIN_ASSIGN(store::Statement moved, db_->prepare("SELECT changes()"));
    BIANMIN_ASSIGN(bool counted, moved.step());
    const int64_t superseded = counted ? moved.integer(0) : 0;
    BIANMIN_ASSIGN(store::Statement drop, db_->prepare("DELETE FROM audit_entries WHERE terminal_id = ? AND seq >= ?"));
    drop.bind(1, terminal_id).bind(2, open->seq);
    BIANMIN_TRY(drop.run());
    BIANMIN_ASSIGN(store::Statement head, db_->prepare(
        "SELECT seq, hash FROM audit_entries WHERE terminal_id = ? ORDER BY seq DESC LIMIT 1"));
    head.bind(1, terminal_id);
    BIANMIN_ASSIGN(bool row, head.step());
    const int64_t seq = row ? head.integer(0) : 0;
    const std::string hash = row ? head.text(1) : audit::kGenesisHash;
    BIANMIN_ASSIGN(store::Statement up, db_->prepare(
        "UPDATE terminals SET audit_seq = ?, audit_hash = ? WHERE terminal_id = ?"));
    up.bind(1, seq).bind(2, hash).bind(3, terminal_id);
    BIANMIN_TRY(up.run());
    BIANMIN_ASSIGN(store::Statement done, db_->prepare(
        "UPDATE audit_breaks SET cleared_at = ?, cleared_by = ?, note = ? WHERE id = ?"));
    done.bind(1, time::now_rfc3339()).bind(2, cleared_by).bind(3, note).bind(4, open->id);
    BIANMIN_TRY(done.run());
    out = {{"terminal_id", terminal_id}, {"break_seq", open->seq}, {"problem", open->problem},
           {"superseded_entries", superseded}, {"audit_seq", seq}};
    return {};
  }));
  log::warn("central", "audit chain break cleared by an operator", {{"terminal_id", terminal_id}, {"by", cleared_by}});
  return out;
}

}  // namespace bianmin::sync::central
