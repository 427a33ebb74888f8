// The audit lane: uploads the chain (POST /api/v1/audit) and holds the
// central's answers to what it accepted before (audit/central_ledger.h), so
// that a cut chain or a central that goes backwards is a recorded break,
// never an entry marked uploaded on the strength of a refusal.
#include <nlohmann/json.hpp>

#include "audit/central_ledger.h"
#include "base/log.h"
#include "client/lane.h"
#include "common/wire.h"
#include "store/store.h"

namespace bianmin::sync {

using json = nlohmann::json;

namespace {

Millis ledger_trouble(const Error& e) {
  log::error("sync", "store error", {{"lane", "audit"}, {"error", e.message}});
  return Millis(5000);
}

}  // namespace

Millis audit_step(Lane& lane) {
  HttpClient* http = lane.http();
  if (!http) return Millis(5000);
  store::Store& s = lane.store();
  audit::CentralLedger ledger(s.db(), s.sealer());
  // Every round, whether or not anything is pending: a tail cut after
  // upload shows here even when nothing new was appended since.
  if (auto checked = ledger.check(); !checked) return ledger_trouble(checked.error());
  auto entries = ledger.pending(500);
  if (!entries) return ledger_trouble(entries.error());
  if (entries->empty()) return lane.settings().audit_interval;
  json body = {{"entries", json::array()}};
  for (const auto& e : *entries) body["entries"].push_back(e.to_json());
  auto r = http->send({"POST", "/api/v1/audit", {{"Content-Type", "application/json"}},
                       body.dump(-1, ' ', false, json::error_handler_t::replace)});
  if (!r) return lane.transport_failed(r.error());
  lane.reached();
  const int64_t first = entries->front().seq, last = entries->back().seq;
  Result<audit::UploadOutcome> outcome = make_error("unexpected", "");
  if (r->status == 200) {
    auto through = wire::parse_audit_reply(r->body);
    if (!through) {
      log::warn("sync", "audit answer malformed", {{"error", through.error().message}});
      return lane.record_backoff(lane.failures() + 1);
    }
    outcome = ledger.accepted(*through, last);
    if (outcome && !outcome->problem && !outcome->resend_from) {
      lane.memo().audit_resend_from = 0;
      return *through >= last && entries->size() == 500 ? Millis(0) : lane.settings().audit_interval;
    }
  } else {
    auto err = wire::parse_error(r->body);
    if (r->status != 409 || !err || err->code != "chain_broken" || !err->expected_seq) {
      const Judgement j = judge(*r);
      if (j.verdict == Verdict::pause_lane) return lane.pause_for(*r);
      log::warn("sync", "unexpected answer from the central", {{"lane", "audit"}, {"status", r->status}, {"reason", j.reason}});
      return lane.record_backoff(lane.failures() + 1);
    }
    outcome = ledger.refused(*err->expected_seq, first, last, err->message);
  }
  if (!outcome) return ledger_trouble(outcome.error());
  if (outcome->problem)
    log::error("sync", "the audit chain is broken against the central",
               {{"seq", outcome->problem->seq}, {"kind", outcome->problem->kind}, {"problem", outcome->problem->message}});
  // Send again from where the central stands, once per place: a central
  // that keeps refusing is not hammered.
  if (outcome->resend_from && lane.memo().audit_resend_from != outcome->resend_from) {
    lane.memo().audit_resend_from = outcome->resend_from;
    if (auto st = ledger.mark_pending_from(outcome->resend_from); !st) return ledger_trouble(st.error());
    return Millis(0);
  }
  return lane.settings().backoff_cap;
}

}  // namespace bianmin::sync
