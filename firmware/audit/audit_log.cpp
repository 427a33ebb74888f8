#include "audit/audit_log.h"

#include <sqlite3.h>

#include <cstdint>

#include "audit/anchor.h"
#include "audit/jcs.h"
#include "base/json_input.h"
#include "base/time.h"
#include "crypto/sealer.h"
#include "store/database.h"

namespace bianmin::audit {

using json = nlohmann::json;

json Entry::to_json() const {
  return json{{"seq", seq}, {"at", at}, {"type", type}, {"data", data}, {"prev_hash", prev_hash}, {"hash", hash}};
}

Result<Entry> Entry::from_json(const json& j) {
  try {
    Entry e;
    // Only a JSON integer that fits int64: nlohmann's get<int64_t>() converts
    // a float out of range (2e+57) with undefined behaviour, truncates 1.5
    // and wraps 2^64-1 to -1, so the chain would be judged by a seq the
    // input does not hold.
    const json& seq = j.at("seq");
    if (!seq.is_number_integer()) return make_error("audit_invalid", "audit entry: seq must be an integer");
    if (seq.is_number_unsigned() && seq.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      return make_error("audit_invalid", "audit entry: seq " + seq.dump() + " is out of range");
    e.seq = seq.get<int64_t>();
    e.at = j.at("at").get<std::string>();
    e.type = j.at("type").get<std::string>();
    e.data = j.at("data");
    e.prev_hash = j.at("prev_hash").get<std::string>();
    e.hash = j.at("hash").get<std::string>();
    return e;
  } catch (const json::exception& ex) {
    return make_error("audit_invalid", std::string("audit entry: ") + ex.what());
  }
}

std::string entry_hash(crypto::Suite suite, const std::string& prev_hash, int64_t seq,
                       const std::string& at, const std::string& type, const json& data) {
  const json body = {{"seq", seq}, {"at", at}, {"type", type}, {"data", data}};
  return crypto::hash_hex(suite, prev_hash + canonical_json(body));
}

std::optional<ChainProblem> verify_chain(crypto::Suite suite, const std::vector<Entry>& entries,
                                         int64_t start_seq, const std::string& start_hash) {
  int64_t prev_seq = start_seq;
  std::string prev_hash = start_hash;
  for (const Entry& e : entries) {
    std::string recomputed;
    try {
      recomputed = entry_hash(suite, e.prev_hash, e.seq, e.at, e.type, e.data);
    } catch (const std::exception&) {
      recomputed.clear();
    }
    if (recomputed != e.hash)
      return ChainProblem{e.seq, "altered",
                          "entry " + std::to_string(e.seq) + " was altered: its hash does not match its content"};
    if (e.seq > prev_seq + 1)
      return ChainProblem{prev_seq + 1, "removed",
                          "entr" + std::string(e.seq - prev_seq > 2 ? "ies " : "y ") + std::to_string(prev_seq + 1) +
                              (e.seq - prev_seq > 2 ? ".." + std::to_string(e.seq - 1) : "") +
                              " removed: entry " + std::to_string(e.seq) + " follows entry " + std::to_string(prev_seq)};
    if (e.seq <= prev_seq || e.prev_hash != prev_hash)
      return ChainProblem{e.seq, prev_seq == start_seq && e.seq == start_seq + 1 ? "bad_start" : "inserted_or_reordered",
                          "entry " + std::to_string(e.seq) + " does not follow entry " + std::to_string(prev_seq) +
                              " (inserted or reordered): its prev_hash is not the previous entry's hash"};
    prev_seq = e.seq;
    prev_hash = e.hash;
  }
  return std::nullopt;
}

AuditLog::AuditLog(store::Database& db, const crypto::Sealer& sealer)
    : db_(db), sealer_(sealer), suite_(sealer.suite()) {}

Result<Entry> AuditLog::append(const std::string& type, json data) {
  if (!sqlite3_get_autocommit(db_.handle())) return append_locked(type, std::move(data));
  return db_.transaction([&] { return append_locked(type, std::move(data)); });
}

Result<Entry> AuditLog::append_locked(const std::string& type, json data) {
  Anchor anchor(db_, sealer_);
  // The state is anchored at the head as found (a mismatch recorded).
  BIANMIN_ASSIGN(AnchorState state, anchor.load_checked());
  Entry e;
  e.seq = state.seq + 1;
  e.prev_hash = state.hash;
  e.at = time::now_rfc3339();
  e.type = type;
  e.data = std::move(data);
  e.hash = entry_hash(suite_, e.prev_hash, e.seq, e.at, e.type, e.data);
  BIANMIN_ASSIGN(store::Statement ins, db_.prepare(
      "INSERT INTO audit_log(seq, at, type, data, prev_hash, hash) VALUES(?, ?, ?, ?, ?, ?)"));
  ins.bind(1, e.seq).bind(2, e.at).bind(3, e.type).bind(4, canonical_json(e.data)).bind(5, e.prev_hash).bind(6, e.hash);
  BIANMIN_TRY(ins.run());
  state.seq = e.seq;
  state.hash = e.hash;
  BIANMIN_TRY(anchor.store(state));
  return e;
}

Result<Entry> AuditLog::clear_break(const std::string& technician) {
  return db_.transaction([&]() -> Result<Entry> {
    Anchor anchor(db_, sealer_);
    BIANMIN_ASSIGN(AnchorState before, anchor.load_checked());
    if (!before.broken()) return make_error("not_broken", "no audit chain break is recorded");
    BIANMIN_TRY(anchor.store(before));  // a mismatch found just now is recorded before it is cleared
    BIANMIN_ASSIGN(Entry e, append_locked(kAuditBreakCleared,
                                          {{"technician", technician}, {"break_seq", before.break_seq},
                                           {"kind", before.break_kind}, {"problem", before.break_message},
                                           {"detected_at", before.break_at}}));
    BIANMIN_ASSIGN(AnchorState after, anchor.load_checked());
    after.break_seq = 0;
    after.break_kind.clear();
    after.break_message.clear();
    after.break_at.clear();
    BIANMIN_TRY(anchor.store(after));
    return e;
  });
}

Result<std::vector<Entry>> AuditLog::entries(int64_t from_seq, int64_t limit) {
  BIANMIN_ASSIGN(store::Statement st, db_.prepare(
      "SELECT seq, at, type, data, prev_hash, hash FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?"));
  st.bind(1, from_seq).bind(2, limit);
  std::vector<Entry> out;
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    Entry e;
    e.seq = st.integer(0);
    e.at = st.text(1);
    e.type = st.text(2);
    // A damaged (or too deeply nested) row stays text: verify reports it as altered.
    auto parsed = parse_json(st.text(3));
    e.data = parsed ? std::move(parsed).value() : json(st.text(3));
    e.prev_hash = st.text(4);
    e.hash = st.text(5);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace bianmin::audit
