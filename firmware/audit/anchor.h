// The keyed head anchor of the audit chain (issue 16, item 3).
//
// The chain alone proves order and content, not completeness at the end:
// its hash is unkeyed, so whoever can write the store can drop the newest
// entries (or rebuild the chain after removing one) and still have a chain
// that verifies. The anchor closes that gap: one row holding the seq and
// hash of the newest entry, MACed with a subkey of the device key
// (crypto::Sealer::anchor_mac) and rewritten in the same transaction as
// every append. Truncating, rewriting or appending behind the log's back
// leaves an anchor that no longer matches the head, and forging a new one
// needs the device key.
//
// The same row keeps what the central last accepted (accepted_through and
// our entry's hash there), so that an answer going backwards can be told
// from an ordinary one, and the first break found, so that a break stays
// visible after later appends re-anchor the head.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "base/result.h"

namespace bianmin::crypto { class Sealer; }
namespace bianmin::store { class Database; }

namespace bianmin::audit {

struct AnchorState {
  int64_t seq = 0;  // the newest entry when the anchor was written
  std::string hash = kGenesisHash;
  int64_t central_seq = 0;  // the central's accepted_through, never lowered
  std::string central_hash = kGenesisHash;  // our entry's hash at central_seq
  // The first break found; kept until a technician clears it (audited).
  int64_t break_seq = 0;
  std::string break_kind, break_message, break_at;

  bool broken() const { return break_seq > 0; }
  bool operator==(const AnchorState&) const = default;
  ChainProblem break_problem() const { return {break_seq, break_kind, break_message}; }
};

struct Head {
  int64_t seq = 0;
  std::string hash = kGenesisHash;
};

// The anchor as stored: `present` false when its row is gone, `authentic`
// false when its MAC does not verify under this device key.
struct LoadedAnchor {
  AnchorState state;
  bool present = false;
  bool authentic = false;
};

class Anchor {
 public:
  Anchor(store::Database& db, const crypto::Sealer& sealer) : db_(db), sealer_(sealer) {}

  Result<LoadedAnchor> load();
  Result<Head> head();
  // Writes the row with a fresh MAC (the caller holds the transaction).
  Status store(const AnchorState& s);

  // The anchor against the newest entry: nullopt when they agree.
  static std::optional<ChainProblem> compare(const LoadedAnchor& a, const Head& h);

  // Loads the anchor, compares it with the head and, on a mismatch, records
  // the break (the first one stays) in the returned state, which the caller
  // then stores. A forged or missing anchor yields a fresh state carrying
  // only the break: nothing in it is trusted. Caller holds the transaction.
  Result<AnchorState> load_checked();

  // Records `p` as the break unless one is recorded already; logs it once.
  static void record_break(AnchorState& s, const ChainProblem& p);

 private:
  std::string mac_hex(const AnchorState& s) const;
  store::Database& db_;
  const crypto::Sealer& sealer_;
};

// Anchors a chain written before anchors existed, as it stands, with what
// the central has acknowledged (the uploaded entries). Only migration 3 calls
// this, in its own transaction: an anchor is never made from the store alone
// afterwards, so a deleted one cannot be replaced by a fresh one.
Status anchor_existing_chain(store::Database& db, const crypto::Sealer& sealer);

// Factory reset replaces the device key: the anchor is checked under the old
// key and written under the new one (a break found or recorded carries over).
// Caller holds the transaction.
Status rekey_anchor(store::Database& db, const crypto::Sealer& old_key, const crypto::Sealer& new_key);

}  // namespace bianmin::audit
