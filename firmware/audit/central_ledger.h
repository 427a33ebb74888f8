// The audit chain's upload to the central (POST /api/v1/audit), as the
// terminal keeps its books: which entries the central holds (the uploaded
// flag), and what the central last accepted (accepted_through and our hash
// there, kept in the keyed anchor). The network is in sync/; what the
// central's answers mean for the chain is here.
//
// Rules (issue 16, item 3):
//   - the central's accepted_through never goes backwards: if it does, or a
//     409 chain_broken names an entry the central had already accepted, the
//     chain is broken (recorded, sticky) and nothing at or after that entry
//     is marked uploaded on the strength of that answer;
//   - before each upload our chain must still hold the entry the central
//     accepted last, with the hash it had then: a tail cut after upload (and
//     re-appended) shows here even when the local anchor was forged;
//   - entries are marked uploaded only through an accepted_through (200) or
//     the strict prefix of a batch before the entry a 409 names.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "audit/anchor.h"
#include "base/result.h"

namespace bianmin::audit {

struct UploadOutcome {
  // Send again from this seq (the central holds less than we thought); 0: no.
  int64_t resend_from = 0;
  // Set when this answer broke the chain (or found it broken).
  std::optional<ChainProblem> problem;
};

class CentralLedger {
 public:
  CentralLedger(store::Database& db, const crypto::Sealer& sealer) : db_(db), sealer_(sealer) {}

  // Entries the central does not hold yet, in chain order.
  Result<std::vector<Entry>> pending(int64_t limit);
  // Checks the head anchor and that our chain still holds what the central
  // accepted; records a break when not. Returns the state after.
  Result<AnchorState> check();
  // 200 {"accepted_through": through} for a batch ending at `last` (the
  // answer names what the central holds, whatever the batch began with).
  Result<UploadOutcome> accepted(int64_t through, int64_t last);
  // 409 chain_broken with expected_seq for a batch first..last.
  Result<UploadOutcome> refused(int64_t expected_seq, int64_t first, int64_t last, const std::string& message);
  // Marks entries from `seq` on as not held by the central.
  Status mark_pending_from(int64_t seq);
  // The anchor as stored, for status and heartbeat (read-only).
  Result<AnchorState> state();

 private:
  Status mark_uploaded_through(int64_t seq);
  Result<std::optional<std::string>> hash_at(int64_t seq);
  Status accept_through(AnchorState& s, int64_t seq);
  store::Database& db_;
  const crypto::Sealer& sealer_;
};

}  // namespace bianmin::audit
