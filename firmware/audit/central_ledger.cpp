#include "audit/central_ledger.h"

#include "store/database.h"

namespace bianmin::audit {

Result<std::vector<Entry>> CentralLedger::pending(int64_t limit) {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare("SELECT MIN(seq) FROM audit_log WHERE uploaded = 0"));
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row || st.is_null(0)) return std::vector<Entry>{};
  return AuditLog(db_, sealer_).entries(st.integer(0), limit);
}

Status CentralLedger::mark_uploaded_through(int64_t seq) {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare("UPDATE audit_log SET uploaded = 1 WHERE seq <= ? AND uploaded = 0"));
  st.bind(1, seq);
  return st.run();
}

Status CentralLedger::mark_pending_from(int64_t seq) {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare("UPDATE audit_log SET uploaded = 0 WHERE seq >= ?"));
  st.bind(1, seq);
  return st.run();
}

Result<std::optional<std::string>> CentralLedger::hash_at(int64_t seq) {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare("SELECT hash FROM audit_log WHERE seq = ?"));
  st.bind(1, seq);
  BIANMIN_ASSIGN(bool row, st.step());
  return row ? std::optional<std::string>(st.text(0)) : std::nullopt;
}

// Marks through `seq` and remembers it as the central's accepted point.
Status CentralLedger::accept_through(AnchorState& s, int64_t seq) {
  BIANMIN_TRY(mark_uploaded_through(seq));
  if (seq < s.central_seq) return {};
  BIANMIN_ASSIGN(auto hash, hash_at(seq));
  if (!hash) return {};
  s.central_seq = seq;
  s.central_hash = *hash;
  return {};
}

Result<AnchorState> CentralLedger::state() {
  BIANMIN_ASSIGN(LoadedAnchor a, Anchor(db_, sealer_).load());
  return a.state;
}

Result<AnchorState> CentralLedger::check() {
  return db_.transaction([&]() -> Result<AnchorState> {
    Anchor anchor(db_, sealer_);
    BIANMIN_ASSIGN(LoadedAnchor before, anchor.load());
    BIANMIN_ASSIGN(AnchorState s, anchor.load_checked());
    if (s.central_seq > 0) {
      BIANMIN_ASSIGN(auto held, hash_at(s.central_seq));
      const std::string c = std::to_string(s.central_seq);
      if (!held) {
        Anchor::record_break(s, {s.seq + 1, "central_ahead",
                                 "the central accepted this terminal's chain through entry " + c +
                                     ", but the chain here ends at entry " + std::to_string(s.seq) +
                                     ": its tail was cut after upload"});
      } else if (*held != s.central_hash) {
        // Entries re-appended after a cut are the ones not uploaded yet.
        BIANMIN_ASSIGN(store::Statement st, db_.prepare(
            "SELECT MIN(seq) FROM audit_log WHERE uploaded = 0 AND seq <= ?"));
        st.bind(1, s.central_seq);
        BIANMIN_ASSIGN(bool row, st.step());
        const int64_t first = row && !st.is_null(0) ? st.integer(0) : s.central_seq;
        Anchor::record_break(s, {first, "diverged_from_central",
                                 "entry " + c + " is not the entry the central accepted: the chain was cut and "
                                 "rebuilt after upload"});
      }
    }
    if (!before.present || !before.authentic || !(before.state == s)) BIANMIN_TRY(anchor.store(s));
    return s;
  });
}

Result<UploadOutcome> CentralLedger::accepted(int64_t through, int64_t last) {
  return db_.transaction([&]() -> Result<UploadOutcome> {
    Anchor anchor(db_, sealer_);
    BIANMIN_ASSIGN(AnchorState s, anchor.load_checked());
    UploadOutcome out;
    const std::string t = std::to_string(through);
    if (through < s.central_seq) {
      out.problem = ChainProblem{through + 1, "central_regressed",
                                 "the central's accepted_through went back from " + std::to_string(s.central_seq) +
                                     " to " + t + ": it lost entries it had accepted"};
      // Ours are intact: send them again so that the central has them.
      out.resend_from = through + 1;
      BIANMIN_TRY(mark_pending_from(through + 1));
    } else if (through > s.seq) {
      out.problem = ChainProblem{s.seq + 1, "central_ahead",
                                 "the central holds this terminal's chain through entry " + t +
                                     ", but the chain here ends at entry " + std::to_string(s.seq) +
                                     ": its tail was cut after upload"};
      BIANMIN_TRY(accept_through(s, std::min(last, s.seq)));
    } else {
      BIANMIN_TRY(accept_through(s, through));
    }
    if (out.problem) Anchor::record_break(s, *out.problem);
    BIANMIN_TRY(anchor.store(s));
    return out;
  });
}

Result<UploadOutcome> CentralLedger::refused(int64_t expected, int64_t first, int64_t last,
                                             const std::string& message) {
  return db_.transaction([&]() -> Result<UploadOutcome> {
    Anchor anchor(db_, sealer_);
    BIANMIN_ASSIGN(AnchorState s, anchor.load_checked());
    UploadOutcome out;
    const std::string e = std::to_string(expected);
    const std::string why = message.empty() ? "" : " (" + message + ")";
    if (expected <= s.central_seq) {
      out.problem = ChainProblem{expected, "central_refused_accepted",
                                 "the central refuses the chain at entry " + e + ", which it had accepted (through " +
                                     std::to_string(s.central_seq) + ")" + why};
      if (expected < first) out.resend_from = expected;
    } else if (expected < first) {
      // The central holds less than we marked, but nothing it acknowledged
      // is lost (an answer that never reached us): send again from there.
      out.resend_from = expected;
    } else if (expected <= last) {
      // The strict prefix before the refused entry is held by the central.
      if (expected > first && (!s.broken() || expected - 1 < s.break_seq)) BIANMIN_TRY(accept_through(s, expected - 1));
      out.problem = ChainProblem{expected, "central_refused", "the central refuses entry " + e + why};
    } else {
      // It names an entry after all we sent: it holds a different chain
      // there. Nothing of this batch is taken as accepted.
      out.problem = ChainProblem{first, "central_conflict",
                                 "the central holds a different chain: it refuses the batch " + std::to_string(first) +
                                     ".." + std::to_string(last) + " and expects entry " + e + why};
    }
    if (out.problem) Anchor::record_break(s, *out.problem);
    BIANMIN_TRY(anchor.store(s));
    return out;
  });
}

}  // namespace bianmin::audit
