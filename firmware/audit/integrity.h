// Everything `bianmin audit verify` and `bianmin store check` hold the
// audit chain to (issue 16, item 3):
//   - the chain itself: no entry altered, removed, inserted or reordered;
//   - the keyed head anchor: nothing cut from the end, nothing rebuilt;
//   - a break recorded earlier (locally or from the central's answers);
//   - the receipts: every application in the store has its submission
//     entry, and every submission entry since the last factory reset still
//     has its application, so removing a receipted application together
//     with its entry cannot pass either.
#pragma once

#include <cstdint>
#include <vector>

#include "audit/anchor.h"
#include "base/result.h"

namespace bianmin::audit {

struct IntegrityReport {
  int64_t entries = 0;
  Head head;
  AnchorState anchor;  // as stored (trusted only when no anchor problem is listed)
  // Ordered by seq; seq 0 (an application with no entry at all) last.
  std::vector<ChainProblem> problems;

  bool ok() const { return problems.empty(); }
};

// Read-only. Loads the whole chain (as `audit verify` always has).
Result<IntegrityReport> check_integrity(store::Database& db, const crypto::Sealer& sealer);

}  // namespace bianmin::audit
