// The audit hash chain (spec: Audit). Every security-relevant event is
// appended as {seq, at, type, data, prev_hash, hash} with
//   hash = hex(H(prev_hash || JCS({"seq","at","type","data"})))
// so that altering, removing, inserting or reordering an entry breaks the
// chain at a place `verify_chain` names. `data` carries masked values only.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "crypto/suite.h"

namespace bianmin::crypto { class Sealer; }
namespace bianmin::store { class Database; }

namespace bianmin::audit {

// Event types.
inline constexpr const char* kSessionStart = "session_start";
inline constexpr const char* kSessionEnd = "session_end";
inline constexpr const char* kIdCardRead = "id_card_read";
inline constexpr const char* kSubmission = "submission";
inline constexpr const char* kTechnicianLogin = "technician_login";
inline constexpr const char* kConfigChange = "config_change";
inline constexpr const char* kFactoryReset = "factory_reset";
inline constexpr const char* kCatalogImport = "catalog_import";
inline constexpr const char* kQueueRetry = "queue_retry";
inline constexpr const char* kQueueDiscard = "queue_discard";
inline constexpr const char* kAuditBreakCleared = "audit_break_cleared";

inline const std::string kGenesisHash(64, '0');

struct Entry {
  int64_t seq = 0;
  std::string at;
  std::string type;
  nlohmann::json data = nlohmann::json::object();
  std::string prev_hash;
  std::string hash;

  nlohmann::json to_json() const;
  static Result<Entry> from_json(const nlohmann::json& j);
};

std::string entry_hash(crypto::Suite suite, const std::string& prev_hash, int64_t seq,
                       const std::string& at, const std::string& type, const nlohmann::json& data);

struct ChainProblem {
  int64_t seq = 0;    // the entry where the chain breaks
  std::string kind;   // altered | removed | inserted_or_reordered | bad_start
  std::string message;
};

// Checks entries in the order given, starting after (start_seq, start_hash):
// (0, 64 zeros) for a whole chain.
std::optional<ChainProblem> verify_chain(crypto::Suite suite, const std::vector<Entry>& entries,
                                         int64_t start_seq = 0, const std::string& start_hash = kGenesisHash);

// The log needs the sealer, not only the suite: every append rewrites the
// keyed head anchor (audit/anchor.h) in the same transaction.
class AuditLog {
 public:
  AuditLog(store::Database& db, const crypto::Sealer& sealer);

  // Appends in its own IMMEDIATE transaction (or the caller's, if one is
  // open). An anchor that no longer matches the head (the tail was cut, the
  // chain rebuilt) does not stop the append, which a resident's receipt may
  // wait for: the break is recorded in the anchor and stays visible.
  Result<Entry> append(const std::string& type, nlohmann::json data);
  // Entries in seq order, from `from_seq` on.
  Result<std::vector<Entry>> entries(int64_t from_seq = 1, int64_t limit = -1);
  // A technician has looked into the recorded break: it is appended to the
  // chain (so the central sees it) and the anchor forgets it. "not_broken".
  Result<Entry> clear_break(const std::string& technician);

 private:
  Result<Entry> append_locked(const std::string& type, nlohmann::json data);
  store::Database& db_;
  const crypto::Sealer& sealer_;
  crypto::Suite suite_;
};

}  // namespace bianmin::audit
