// The status poll's side of delivery: which applications to ask the
// central about, what it answered, and those it no longer knows.
#include <set>

#include "base/log.h"
#include "outbox/delivery.h"
#include "store/store.h"

namespace bianmin::outbox {

Result<std::vector<std::string>> Delivery::open_for_status(int64_t limit) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "SELECT client_id FROM applications WHERE state = 'delivered' AND (central_status IS NULL OR "
      "central_status NOT IN ('rejected', 'denied', 'delivered', 'withdrawn')) "
      "ORDER BY status_polled_at IS NOT NULL, status_polled_at, rowid LIMIT ?"));
  st.bind(1, limit);
  std::vector<std::string> out;
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(st.text(0));
  }
  return out;
}

Status Delivery::record_progress(const ProgressUpdate& u) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "UPDATE applications SET central_status = ?, status_updated_at = ?, deadline = COALESCE(NULLIF(?, ''), deadline), "
      "case_no = COALESCE(NULLIF(?, ''), case_no) WHERE client_id = ? AND state = 'delivered'"));
  st.bind(1, u.status).bind(2, u.updated_at).bind(3, u.deadline).bind(4, u.case_no).bind(5, u.client_id);
  return st.run();
}

Status Delivery::mark_polled(const std::vector<std::string>& ids, time::TimePoint now) {
  return store_.db().transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
        "UPDATE applications SET status_polled_at = ? WHERE client_id = ?"));
    const std::string stamp = utc_stamp(now);
    for (const auto& id : ids) {
      st.bind(1, stamp).bind(2, id);
      BIANMIN_TRY(st.run());
      st.reset();
    }
    return {};
  });
}

Result<std::vector<std::string>> Delivery::requeue_unknown(const std::vector<std::string>& asked,
                                                           const std::vector<std::string>& answered) {
  const std::set<std::string> known(answered.begin(), answered.end());
  std::vector<std::string> requeued;
  BIANMIN_TRY(store_.db().transaction([&]() -> Status {
    // Only what is still delivered and still has its body: a purged one
    // cannot be sent again (it was final at the central long before).
    BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
        "UPDATE applications SET state = 'queued', attempts = 0, next_attempt_at = NULL, "
        "last_error = 'the central no longer knew it; delivering it again' "
        "WHERE client_id = ? AND state = 'delivered' AND sealed_body IS NOT NULL"));
    for (const auto& id : asked) {
      if (known.count(id)) continue;
      st.bind(1, id);
      BIANMIN_TRY(st.run());
      st.reset();
      if (store_.db().changes() > 0) requeued.push_back(id);
    }
    return {};
  }));
  for (const auto& id : requeued)
    log::warn("outbox", "the central no longer knows a delivered application; delivering it again",
              {{"client_id", id}});
  return requeued;
}

}  // namespace bianmin::outbox
