#include "audit/anchor.h"

#include "base/bytes.h"
#include "base/log.h"
#include "base/time.h"
#include "crypto/sealer.h"
#include "store/database.h"

namespace bianmin::audit {

std::string Anchor::mac_hex(const AnchorState& s) const {
  // Length-prefixed fields: no two states share a MAC input.
  std::string m = "bianmin-audit-anchor-v1";
  auto field = [&m](const std::string& v) { m += "|" + std::to_string(v.size()) + ":" + v; };
  field(std::to_string(s.seq));
  field(s.hash);
  field(std::to_string(s.central_seq));
  field(s.central_hash);
  field(std::to_string(s.break_seq));
  field(s.break_kind);
  field(s.break_message);
  field(s.break_at);
  const crypto::Digest d = sealer_.anchor_mac(m);
  return to_hex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

Result<LoadedAnchor> Anchor::load() {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare(
      "SELECT seq, hash, central_seq, central_hash, break_seq, break_kind, break_message, break_at, mac "
      "FROM audit_anchor WHERE id = 1"));
  BIANMIN_ASSIGN(bool row, st.step());
  LoadedAnchor out;
  if (!row) return out;
  out.present = true;
  AnchorState& s = out.state;
  s.seq = st.integer(0);
  s.hash = st.text(1);
  s.central_seq = st.integer(2);
  s.central_hash = st.text(3);
  s.break_seq = st.integer(4);
  s.break_kind = st.text(5);
  s.break_message = st.text(6);
  s.break_at = st.text(7);
  out.authentic = !st.is_null(8) && crypto::constant_time_equal(st.text(8), mac_hex(s));
  return out;
}

Result<Head> Anchor::head() {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  BIANMIN_ASSIGN(bool row, st.step());
  Head h;
  if (row) {
    h.seq = st.integer(0);
    h.hash = st.text(1);
  }
  return h;
}

Status Anchor::store(const AnchorState& s) {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare(
      "INSERT INTO audit_anchor(id, seq, hash, central_seq, central_hash, break_seq, break_kind, break_message, "
      "break_at, mac) VALUES(1, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, "
      "hash = excluded.hash, central_seq = excluded.central_seq, central_hash = excluded.central_hash, "
      "break_seq = excluded.break_seq, break_kind = excluded.break_kind, break_message = excluded.break_message, "
      "break_at = excluded.break_at, mac = excluded.mac"));
  st.bind(1, s.seq).bind(2, s.hash).bind(3, s.central_seq).bind(4, s.central_hash).bind(5, s.break_seq)
      .bind(6, s.break_kind).bind(7, s.break_message).bind(8, s.break_at).bind(9, mac_hex(s));
  return st.run();
}

std::optional<ChainProblem> Anchor::compare(const LoadedAnchor& a, const Head& h) {
  const std::string at = std::to_string(a.state.seq);
  if (!a.present)
    return ChainProblem{1, "anchor_missing", "the audit chain's head anchor is missing: the chain cannot be "
                                             "shown complete (its tail may have been cut)"};
  if (!a.authentic)
    return ChainProblem{a.state.seq > 0 ? a.state.seq : 1, "anchor_altered",
                        "the audit chain's head anchor does not verify under this terminal's device key: it was "
                        "altered or replaced"};
  if (h.seq < a.state.seq)
    return ChainProblem{h.seq + 1, "truncated",
                        "entries " + std::to_string(h.seq + 1) + ".." + at + " were removed from the end of the "
                        "chain: the anchor names entry " + at + ", the newest entry is " + std::to_string(h.seq)};
  if (h.seq > a.state.seq)
    return ChainProblem{a.state.seq + 1, "unanchored",
                        "entries after " + at + " were added behind the audit log's back: the anchor names entry " +
                            at + ", the newest entry is " + std::to_string(h.seq)};
  if (h.hash != a.state.hash)
    return ChainProblem{h.seq > 0 ? h.seq : 1, "rewritten",
                        "the chain was rewritten: entry " + at + " is not the entry the anchor names"};
  return std::nullopt;
}

void Anchor::record_break(AnchorState& s, const ChainProblem& p) {
  if (s.broken()) return;
  s.break_seq = p.seq;
  s.break_kind = p.kind;
  s.break_message = p.message;
  s.break_at = time::now_rfc3339();
  log::error("audit", "audit chain break recorded", {{"seq", p.seq}, {"kind", p.kind}, {"problem", p.message}});
}

Result<AnchorState> Anchor::load_checked() {
  BIANMIN_ASSIGN(LoadedAnchor a, load());
  BIANMIN_ASSIGN(Head h, head());
  auto problem = compare(a, h);
  if (!problem) return a.state;
  AnchorState s = a.authentic ? a.state : AnchorState{};
  record_break(s, *problem);
  // Re-anchored at the head as found: the recorded break is what shows from
  // now on, and later appends are protected again.
  s.seq = h.seq;
  s.hash = h.hash;
  return s;
}

Status anchor_existing_chain(store::Database& db, const crypto::Sealer& sealer) {
  Anchor anchor(db, sealer);
  AnchorState s;
  BIANMIN_ASSIGN(Head h, anchor.head());
  s.seq = h.seq;
  s.hash = h.hash;
  BIANMIN_ASSIGN(store::Statement st, db.prepare(
      "SELECT seq, hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log WHERE uploaded = 1)"));
  BIANMIN_ASSIGN(bool row, st.step());
  if (row) {
    s.central_seq = st.integer(0);
    s.central_hash = st.text(1);
  }
  return anchor.store(s);
}

Status rekey_anchor(store::Database& db, const crypto::Sealer& old_key, const crypto::Sealer& new_key) {
  BIANMIN_ASSIGN(AnchorState s, Anchor(db, old_key).load_checked());
  return Anchor(db, new_key).store(s);
}

}  // namespace bianmin::audit
