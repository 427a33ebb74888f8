#include "audit/integrity.h"

#include <algorithm>
#include <map>

#include "crypto/sealer.h"
#include "store/database.h"

namespace bianmin::audit {
namespace {

// Submission entries against the applications table. Factory reset erases
// applications (and records itself in the chain): submissions before its
// last entry have no application to find.
Status check_receipts(store::Database& db, const std::vector<Entry>& entries, std::vector<ChainProblem>& out) {
  int64_t last_reset = 0;
  for (const Entry& e : entries)
    if (e.type == kFactoryReset) last_reset = e.seq;
  std::map<std::string, int64_t> audited;  // client_id → seq of its submission entry
  for (const Entry& e : entries) {
    if (e.type != kSubmission || !e.data.is_object()) continue;
    auto id = e.data.find("client_id");
    if (id != e.data.end() && id->is_string()) audited.emplace(id->get<std::string>(), e.seq);
  }
  std::map<std::string, std::string> stored;  // client_id → receipt_no
  {
    BIANMIN_ASSIGN(store::Statement st, db.prepare("SELECT client_id, receipt_no FROM applications"));
    for (;;) {
      BIANMIN_ASSIGN(bool row, st.step());
      if (!row) break;
      stored.emplace(st.text(0), st.text(1));
    }
  }
  for (const auto& [client_id, receipt_no] : stored)
    if (!audited.count(client_id))
      out.push_back({0, "submission_unaudited",
                     "application " + receipt_no + " (" + client_id + ") has no submission entry in the audit chain"});
  for (const auto& [client_id, seq] : audited) {
    if (seq < last_reset || stored.count(client_id)) continue;
    out.push_back({seq, "application_missing",
                   "entry " + std::to_string(seq) + " records the submission of application " + client_id +
                       ", which is no longer in the store"});
  }
  return {};
}

}  // namespace

Result<IntegrityReport> check_integrity(store::Database& db, const crypto::Sealer& sealer) {
  IntegrityReport r;
  AuditLog log(db, sealer);
  BIANMIN_ASSIGN(std::vector<Entry> entries, log.entries());
  r.entries = static_cast<int64_t>(entries.size());
  if (auto p = verify_chain(sealer.suite(), entries)) r.problems.push_back(*p);
  Anchor anchor(db, sealer);
  BIANMIN_ASSIGN(LoadedAnchor loaded, anchor.load());
  BIANMIN_ASSIGN(r.head, anchor.head());
  r.anchor = loaded.state;
  if (auto p = Anchor::compare(loaded, r.head)) r.problems.push_back(*p);
  else if (loaded.state.broken()) r.problems.push_back(loaded.state.break_problem());
  BIANMIN_TRY(check_receipts(db, entries, r.problems));
  std::stable_sort(r.problems.begin(), r.problems.end(), [](const ChainProblem& a, const ChainProblem& b) {
    return (a.seq == 0 ? INT64_MAX : a.seq) < (b.seq == 0 ? INT64_MAX : b.seq);
  });
  return r;
}

}  // namespace bianmin::audit
