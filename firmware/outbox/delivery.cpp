#include "outbox/delivery.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <set>

#include "audit/central_ledger.h"
#include "base/log.h"
#include "store/store.h"

namespace bianmin::outbox {

using json = nlohmann::json;

std::string utc_stamp(time::TimePoint t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(((ms % 1000) + 1000) % 1000));
  return buf;
}

bool is_final_status(std::string_view s) {
  return s == "rejected" || s == "denied" || s == "delivered" || s == "withdrawn";
}

Result<std::vector<std::string>> Delivery::due(time::TimePoint now, int64_t limit) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "SELECT client_id FROM applications WHERE state = 'queued' AND sealed_body IS NOT NULL "
      "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY submitted_at, rowid LIMIT ?"));
  st.bind(1, utc_stamp(now)).bind(2, limit);
  std::vector<std::string> out;
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(st.text(0));
  }
  return out;
}

Result<std::optional<time::TimePoint>> Delivery::next_due() {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "SELECT COUNT(*), SUM(next_attempt_at IS NULL), MIN(next_attempt_at) FROM applications "
      "WHERE state = 'queued' AND sealed_body IS NOT NULL"));
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row || st.integer(0) == 0) return std::optional<time::TimePoint>();
  if (st.integer(1) > 0 || st.is_null(2)) return std::optional<time::TimePoint>(time::TimePoint{});
  auto t = time::parse_rfc3339(st.text(2));
  return std::optional<time::TimePoint>(t.value_or(time::TimePoint{}));
}

Status Delivery::mark_delivered(const std::string& client_id, const Acceptance& a) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "UPDATE applications SET state = 'delivered', case_no = ?, central_status = ?, deadline = ?, "
      "status_updated_at = ?, delivered_at = ?, next_attempt_at = NULL, last_error = NULL, "
      "quarantine_reason = NULL WHERE client_id = ? AND state IN ('queued', 'quarantined')"));
  st.bind(1, a.case_no).bind(2, a.status).bind(3, a.deadline).bind(4, a.received_at)
      .bind(5, time::now_rfc3339()).bind(6, client_id);
  return st.run();
}

Status Delivery::quarantine(const std::string& client_id, const std::string& reason) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "UPDATE applications SET state = 'quarantined', quarantine_reason = ?, last_error = ?, "
      "attempts = attempts + 1, next_attempt_at = NULL WHERE client_id = ? AND state = 'queued'"));
  st.bind(1, reason).bind(2, reason).bind(3, client_id);
  BIANMIN_TRY(st.run());
  log::warn("outbox", "application quarantined: the central refused it", {{"client_id", client_id}, {"reason", reason}});
  return {};
}

Status Delivery::schedule_retry(const std::string& client_id, time::TimePoint next, const std::string& error) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "UPDATE applications SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
      "WHERE client_id = ? AND state = 'queued'"));
  st.bind(1, utc_stamp(next)).bind(2, error).bind(3, client_id);
  return st.run();
}

Status Delivery::set_blob_uploaded(const std::string& sha256, bool uploaded) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare("UPDATE blobs SET uploaded = ? WHERE sha256 = ?"));
  st.bind(1, uploaded ? 1 : 0).bind(2, sha256);
  return st.run();
}

Result<ApplicationRecord> Delivery::technician_action(const std::string& id, const std::string& to_state,
                                                      const char* audit_type, json audit_data) {
  ApplicationStore apps(store_);
  auto result = store_.db().transaction([&]() -> Result<ApplicationRecord> {
    BIANMIN_ASSIGN(auto rec, apps.get(id));
    if (!rec) return make_error("not_found", "no application " + id);
    if (rec->state != "quarantined")
      return make_error("wrong_state", "application " + rec->receipt_no + " is " + rec->state +
                                           "; only quarantined applications can be retried or discarded");
    BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
        to_state == "queued"
            ? "UPDATE applications SET state = 'queued', attempts = 0, next_attempt_at = NULL, "
              "quarantine_reason = NULL WHERE client_id = ?"
            : "UPDATE applications SET state = 'discarded', next_attempt_at = NULL WHERE client_id = ?"));
    st.bind(1, rec->client_id);
    BIANMIN_TRY(st.run());
    audit_data["client_id"] = rec->client_id;
    audit_data["receipt_no"] = rec->receipt_no;
    audit_data["quarantine_reason"] = rec->quarantine_reason.value_or("");
    audit::AuditLog log(store_.db(), store_.sealer());
    BIANMIN_TRY(log.append(audit_type, std::move(audit_data)));
    return *rec;
  });
  if (!result) return result;
  BIANMIN_ASSIGN(auto after, apps.get(result->client_id));
  if (!after) return make_error("not_found", "no application " + id);
  log::info("outbox", to_state == "queued" ? "quarantined application queued again by a technician"
                                           : "quarantined application discarded by a technician",
            {{"client_id", after->client_id}, {"receipt_no", after->receipt_no}});
  return std::move(*after);
}

Result<ApplicationRecord> Delivery::retry(const std::string& id, const std::string& technician) {
  return technician_action(id, "queued", audit::kQueueRetry, {{"technician", technician}});
}

Result<ApplicationRecord> Delivery::discard(const std::string& id, const std::string& technician,
                                            const std::string& reason) {
  return technician_action(id, "discarded", audit::kQueueDiscard, {{"technician", technician}, {"reason", reason}});
}

Result<PurgeReport> Delivery::purge(time::TimePoint now, int64_t retention_days) {
  PurgeReport report;
  if (retention_days <= 0) return report;
  // Submissions reuse a stored blob by hash; holding the blob lock keeps one
  // from re-referencing a file this purge is about to delete.
  auto lock = store_.blobs().try_lock_exclusive();
  if (!lock) {
    if (lock.error().code != "busy") return lock.take_error();
    report.skipped = true;
    return report;
  }
  const auto cutoff = now - std::chrono::hours(24) * retention_days;
  std::vector<std::string> expired;
  {
    BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
        "SELECT client_id, state, central_status, status_updated_at, delivered_at, submitted_at FROM applications "
        "WHERE purged_at IS NULL AND state IN ('delivered', 'discarded')"));
    for (;;) {
      BIANMIN_ASSIGN(bool row, st.step());
      if (!row) break;
      const bool discarded = st.text(1) == "discarded";
      if (!discarded && !is_final_status(st.text(2))) continue;
      // Age from the final status (or discarding); the submission time
      // stands in when the central gave no parsable time.
      std::optional<time::TimePoint> since;
      if (!discarded) since = time::parse_rfc3339(st.text(3));
      if (!since) since = time::parse_rfc3339(st.text(4));
      if (!since) since = time::parse_rfc3339(st.text(5));
      if (since && *since < cutoff) expired.push_back(st.text(0));
    }
  }
  if (expired.empty()) return report;
  std::set<std::string> blobs_to_delete;
  BIANMIN_TRY(store_.db().transaction([&]() -> Status {
    const std::string stamp = time::now_rfc3339();
    BIANMIN_ASSIGN(store::Statement app, store_.db().prepare(
        "UPDATE applications SET sealed_body = NULL, purged_at = ? WHERE client_id = ?"));
    for (const auto& id : expired) {
      app.bind(1, stamp).bind(2, id);
      BIANMIN_TRY(app.run());
      app.reset();
    }
    // Blobs that no unpurged application references any more.
    BIANMIN_ASSIGN(store::Statement orphan, store_.db().prepare(
        "SELECT b.sha256 FROM blobs b WHERE b.purged_at IS NULL AND NOT EXISTS ("
        "SELECT 1 FROM application_materials m JOIN applications a ON a.client_id = m.client_id "
        "WHERE m.sha256 = b.sha256 AND a.purged_at IS NULL)"));
    for (;;) {
      BIANMIN_ASSIGN(bool row, orphan.step());
      if (!row) break;
      blobs_to_delete.insert(orphan.text(0));
    }
    BIANMIN_ASSIGN(store::Statement mark, store_.db().prepare("UPDATE blobs SET purged_at = ? WHERE sha256 = ?"));
    for (const auto& sha : blobs_to_delete) {
      mark.bind(1, stamp).bind(2, sha);
      BIANMIN_TRY(mark.run());
      mark.reset();
    }
    return {};
  }));
  // After the commit: a crash before the unlinks leaves files no row
  // references, which start-up recovery removes.
  for (const auto& sha : blobs_to_delete) BIANMIN_TRY(store_.blobs().remove(sha));
  report.applications = static_cast<int64_t>(expired.size());
  report.blobs = static_cast<int64_t>(blobs_to_delete.size());
  log::info("outbox", "retention purge", {{"applications", report.applications}, {"blobs", report.blobs},
                                          {"retention_days", retention_days}});
  return report;
}

Status Delivery::publish_reachability(bool online, int64_t clock_skew_ms, const std::string& error) {
  return store_.db().transaction([&]() -> Status {
    BIANMIN_TRY(store_.set_setting("sync.online", online ? "1" : "0"));
    BIANMIN_TRY(store_.set_setting("sync.checked_at", time::now_rfc3339()));
    BIANMIN_TRY(store_.set_setting("sync.clock_skew_ms", std::to_string(clock_skew_ms)));
    BIANMIN_TRY(store_.set_setting("sync.last_error", error));
    return {};
  });
}

Result<DeliverySummary> Delivery::summary() {
  DeliverySummary s;
  {
    BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
        "SELECT SUM(state = 'queued'), SUM(state = 'quarantined'), SUM(state = 'delivered'), "
        "MIN(CASE WHEN state = 'queued' THEN submitted_at END), MAX(delivered_at) FROM applications"));
    BIANMIN_ASSIGN(bool row, st.step());
    if (row) {
      s.pending = st.integer(0);
      s.quarantined = st.integer(1);
      s.delivered = st.integer(2);
      s.oldest_pending_at = st.opt_text(3);
      s.last_delivered_at = st.opt_text(4);
    }
  }
  BIANMIN_ASSIGN(auto online, store_.setting("sync.online"));
  s.online = online && *online == "1";
  BIANMIN_ASSIGN(s.checked_at, store_.setting("sync.checked_at"));
  BIANMIN_ASSIGN(auto skew, store_.setting("sync.clock_skew_ms"));
  if (skew) s.clock_skew_ms = std::strtoll(skew->c_str(), nullptr, 10);
  BIANMIN_ASSIGN(auto err, store_.setting("sync.last_error"));
  if (err && !err->empty()) s.last_error = *err;
  return s;
}

Result<std::vector<audit::Entry>> Delivery::audit_pending(int64_t limit) {
  return audit::CentralLedger(store_.db(), store_.sealer()).pending(limit);
}

std::string sync_wake_socket_path(const std::string& data_dir) { return data_dir + "/syncd.sock"; }

void wake_sync_daemon(const std::string& data_dir) {
  const std::string path = sync_wake_socket_path(data_dir);
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return;
  const char byte = 'w';
  (void)::sendto(fd, &byte, 1, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  ::close(fd);
}

}  // namespace bianmin::outbox
