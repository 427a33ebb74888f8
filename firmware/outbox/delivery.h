// Delivery bookkeeping of the outbox: the state transitions the sync daemon
// (sync/) drives while it talks to the central, and the technician's
// retry/discard of quarantined records. The network lives in sync/; what an
// application's state means lives here, so that the kiosk, the CLI and the
// daemon agree on it.
//
//   queued ──(201/200)──▶ delivered ──(final status + retention)──▶ purged
//     │ ▲  ◀──(the central's status answer lacks it)──┘
//     │ └──── technician `queue retry` (audited)
//     ▼
//   quarantined ──── technician `queue discard` (audited) ──▶ discarded
//
// A queued record that fails for a reason of its own (5xx, digest mismatch)
// gets attempts+1 and a next_attempt_at in the future, so it never holds
// back the others; one the central refuses for good (4xx that is final) is
// quarantined with the central's reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "base/result.h"
#include "base/time.h"
#include "outbox/application_store.h"

namespace bianmin::store { class Store; }

namespace bianmin::outbox {

// Fixed-width UTC stamps ("2026-11-22T01:30:00.123Z") for the columns the
// daemon compares as text (next_attempt_at, status_polled_at): they sort
// like the instants they name whatever the terminal's time zone.
std::string utc_stamp(time::TimePoint t);

// A status after which the central changes nothing more: rejected (不予受理),
// denied (不予办结), delivered (已送达), withdrawn (已撤回). `approved` is not
// final: the result is still to be delivered.
bool is_final_status(std::string_view status);

// What the central answered on acceptance (201/200).
struct Acceptance {
  std::string case_no, status, received_at, deadline;
};

// One application's progress as the central reports it.
struct ProgressUpdate {
  std::string client_id, case_no, status, updated_at, deadline;
};

struct PurgeReport {
  int64_t applications = 0;
  int64_t blobs = 0;
  bool skipped = false;  // a submission was writing blobs; try again later
};

// What the UI and the heartbeat show about delivery.
struct DeliverySummary {
  int64_t pending = 0;      // queued
  int64_t quarantined = 0;
  int64_t delivered = 0;
  std::optional<std::string> oldest_pending_at;  // submitted_at of the oldest queued
  std::optional<std::string> last_delivered_at;
  // Published by the daemon's health probe.
  bool online = false;
  std::optional<std::string> checked_at;
  int64_t clock_skew_ms = 0;  // central minus terminal
  std::optional<std::string> last_error;
};

class Delivery {
 public:
  explicit Delivery(store::Store& s) : store_(s) {}

  // client_ids of queued applications whose next attempt is due, oldest
  // submission first. Only ids: the caller loads one body at a time, so a
  // queue of any length costs constant memory.
  Result<std::vector<std::string>> due(time::TimePoint now, int64_t limit);
  // Earliest next_attempt_at among queued applications; a time ≤ now (or
  // the epoch) when one is due already, nullopt when none is queued.
  Result<std::optional<time::TimePoint>> next_due();

  Status mark_delivered(const std::string& client_id, const Acceptance& a);
  Status quarantine(const std::string& client_id, const std::string& reason);
  // A failed attempt: attempts+1, next_attempt_at = next, last_error.
  Status schedule_retry(const std::string& client_id, time::TimePoint next, const std::string& error);
  Status set_blob_uploaded(const std::string& sha256, bool uploaded);

  // Technician actions on a quarantined record, each with an audit entry.
  // "not_found", "wrong_state".
  Result<ApplicationRecord> retry(const std::string& id_or_receipt, const std::string& technician);
  Result<ApplicationRecord> discard(const std::string& id_or_receipt, const std::string& technician,
                                    const std::string& reason);

  // Delivered applications whose status is not final, least recently
  // polled first.
  Result<std::vector<std::string>> open_for_status(int64_t limit);
  Status record_progress(const ProgressUpdate& u);
  Status mark_polled(const std::vector<std::string>& client_ids, time::TimePoint now);

  // Drops the sealed body and the blobs of applications that are delivered
  // with a final status (or discarded) for more than `retention_days`; the
  // row, its receipt number and the audit chain stay.
  Result<PurgeReport> purge(time::TimePoint now, int64_t retention_days);

  // Reachability as the daemon's probe saw it, for the UI.
  Status publish_reachability(bool online, int64_t clock_skew_ms, const std::string& error);
  Result<DeliverySummary> summary();

  // Of the delivered applications `asked` about in a status poll, those the
  // central left out of its answer (`answered`) no longer exist there (a
  // restored or damaged central database): they are queued again, to be
  // delivered once more under the same client_id (Idempotency-Key), which
  // the central then accepts anew. Returns the client_ids requeued.
  Result<std::vector<std::string>> requeue_unknown(const std::vector<std::string>& asked,
                                                   const std::vector<std::string>& answered);

  // Audit entries the central does not hold yet, in chain order (the upload
  // bookkeeping itself is audit::CentralLedger's).
  Result<std::vector<audit::Entry>> audit_pending(int64_t limit);

 private:
  Result<ApplicationRecord> technician_action(const std::string& id, const std::string& to_state,
                                              const char* audit_type, nlohmann::json audit_data);
  store::Store& store_;
};

// The kiosk (or `bianmin submit`) calls this after queueing something so
// that the sync daemon starts at once instead of at its next rescan. A
// datagram to <data_dir>/syncd.sock; silently does nothing when no daemon
// listens (it rescans on its own).
void wake_sync_daemon(const std::string& data_dir);
std::string sync_wake_socket_path(const std::string& data_dir);

}  // namespace bianmin::outbox
