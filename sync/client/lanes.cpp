// The lanes other than upload and audit: reachability probe, catalogue,
// status polling, ratings and complaints, heartbeat, retention.
#include <nlohmann/json.hpp>

#include <set>

#include "base/bytes.h"
#include "base/log.h"
#include "base/time.h"
#include "catalog/catalog_store.h"
#include "client/audit_report.h"
#include "client/device_report.h"
#include "client/lane.h"
#include "client/return_policy.h"
#include "common/wire.h"
#include "outbox/delivery.h"
#include "outbox/feedback.h"
#include "store/store.h"
#include "update/system_report.h"

namespace bianmin::sync {

using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

namespace {

Millis store_trouble(const char* lane, const Error& e) {
  log::error("sync", "store error", {{"lane", lane}, {"error", e.message}});
  return Millis(5000);
}

// 429/503 → the central's pause; anything else unexpected → back off.
Millis unexpected(Lane& lane, const HttpResponse& r) {
  const Judgement j = judge(r);
  if (j.verdict == Verdict::pause_lane) return lane.pause_for(r);
  log::warn("sync", "unexpected answer from the central",
            {{"lane", lane_name(lane.id())}, {"status", r.status}, {"reason", j.reason}});
  return lane.record_backoff(lane.failures() + 1);
}

void publish(Lane& lane, bool online, int64_t skew_ms, const std::string& error) {
  auto& m = lane.memo();
  const auto now = SteadyClock::now();
  if (m.published && m.online == online && m.last_error == error && now - m.published_at < std::chrono::seconds(30))
    return;
  if (!m.published || m.online != online)
    log::info("sync", online ? "central reachable" : "central not reachable", {{"error", error}, {"clock_skew_ms", skew_ms}});
  m.published = true;
  m.online = online;
  m.last_error = error;
  m.published_at = now;
  if (auto st = outbox::Delivery(lane.store()).publish_reachability(online, skew_ms, error); !st)
    store_trouble("probe", st.error());
}

}  // namespace

Millis probe_step(Lane& lane) {
  Hub& hub = lane.hub();
  auto stored = load_enrolment(lane.store());
  if (!stored || !*stored) {
    hub.set_enrolment(nullptr);
    hub.set_online(false);
    publish(lane, false, 0, stored ? "not enrolled: run `bianmin enroll`" : stored.error().message);
    return Millis(5000);
  }
  auto current = hub.enrolment();
  const Enrolment& fresh = **stored;
  if (!current || current->cert_pem != fresh.cert_pem || current->ca_pem != fresh.ca_pem ||
      current->central_url != fresh.central_url)
    hub.set_enrolment(std::make_shared<const Enrolment>(fresh));
  HttpClient* http = lane.http();
  const auto t0 = std::chrono::system_clock::now();
  auto r = http->send({"GET", "/api/v1/health", {}, {}});
  const auto t1 = std::chrono::system_clock::now();
  std::string error;
  int64_t skew = 0;
  Millis busy(0);  // a busy central's Retry-After, honoured by the probe too
  if (!r) {
    error = r.error().message;
  } else if (r->status != 200) {
    error = "health answered HTTP " + std::to_string(r->status);
    if (r->status == 503 || r->status == 429)
      if (auto ra = wire::parse_retry_after(r->header("retry-after"), t1))
        busy = busy_delay(std::chrono::duration_cast<Millis>(*ra), 1, lane.settings(), lane.rng());
  } else if (auto h = wire::parse_health(r->body); !h) {
    error = "health answer malformed: " + h.error().message;
  } else {
    if (auto kept = remember_return_window(lane.store(), h->return_window_s); !kept)
      log::warn("sync", "advised return window not kept", {{"error", kept.error().message}});
    if (auto server = time::parse_rfc3339(h->server_time); server)
      skew = std::chrono::duration_cast<Millis>(*server - (t0 + (t1 - t0) / 2)).count();
  }
  const bool online = error.empty();
  // Lost the central, or offline from the daemon's start (a fleet that
  // boots together into an outage): each terminal takes a phase of its own.
  const bool just_lost = !online && (!lane.memo().published || lane.memo().online);
  publish(lane, online, skew, error);
  hub.set_online(online);
  if (online) return lane.settings().probe_online;
  return std::max(busy, offline_probe_delay(lane.settings(), lane.rng(), stored_return_window(lane.store()), just_lost));
}

Millis catalog_step(Lane& lane) {
  HttpClient* http = lane.http();
  if (!http) return Millis(5000);
  catalog::CatalogStore catalogs(lane.store().db());
  std::optional<std::string> etag;
  if (auto list = catalogs.list(); list)
    for (const auto& s : *list)
      if (s.active) etag = s.etag;
  HttpRequest req{"GET", "/api/v1/catalog", {}, {}};
  if (etag && !etag->empty()) req.headers.push_back({"If-None-Match", "\"" + *etag + "\""});
  auto r = http->send(req);
  if (!r) return lane.transport_failed(r.error());
  lane.reached();
  if (r->status == 304 || r->status == 404) return lane.settings().catalog_interval;  // unchanged / none published
  if (r->status != 200) return unexpected(lane, *r);
  auto tag = wire::parse_etag(r->header("etag"));
  auto report = catalogs.import(r->body, "central " + http->base_url(), tag);
  if (!report) {
    // The previous catalogue stays active; try again, not too often.
    log::error("sync", "downloaded catalogue rejected", {{"error", report.error().message}});
    return std::min(lane.settings().catalog_interval, lane.settings().backoff_cap);
  }
  return lane.settings().catalog_interval;
}

Millis status_step(Lane& lane) {
  HttpClient* http = lane.http();
  if (!http) return Millis(5000);
  outbox::Delivery delivery(lane.store());
  std::set<std::string> done;
  for (int batch = 0; batch < 25 && !lane.hub().stopping(); ++batch) {
    auto ids = delivery.open_for_status(200);
    if (!ids) return store_trouble("status", ids.error());
    if (ids->empty() || done.count(ids->front())) break;
    auto r = http->send({"POST", "/api/v1/applications/status", {{"Content-Type", "application/json"}},
                         json{{"client_ids", *ids}}.dump()});
    if (!r) return lane.transport_failed(r.error());
    lane.reached();
    if (r->status != 200) return unexpected(lane, *r);
    auto statuses = wire::parse_status_list(r->body);
    if (!statuses) {
      log::warn("sync", "status answer malformed", {{"error", statuses.error().message}});
      return lane.record_backoff(1);
    }
    std::vector<std::string> answered;
    for (const auto& s : *statuses) {
      answered.push_back(s.client_id);
      if (!wire::is_known_status(s.status)) continue;
      if (auto st = delivery.record_progress({s.client_id, s.case_no, s.status, s.updated_at, s.deadline}); !st)
        return store_trouble("status", st.error());
    }
    // The central answers for every application of this terminal it holds:
    // one it leaves out was lost there (a restored database) and goes again.
    auto lost = delivery.requeue_unknown(*ids, answered);
    if (!lost) return store_trouble("status", lost.error());
    if (!lost->empty()) lane.hub().kick(LaneId::upload);
    if (auto st = delivery.mark_polled(*ids, std::chrono::system_clock::now()); !st)
      return store_trouble("status", st.error());
    done.insert(ids->begin(), ids->end());
    if (ids->size() < 200) break;
  }
  return lane.settings().status_interval;
}

Millis feedback_step(Lane& lane) {
  HttpClient* http = lane.http();
  if (!http) return Millis(5000);
  outbox::FeedbackOutbox outbox(lane.store());
  auto due = outbox.due(std::chrono::system_clock::now(), 20);
  if (!due) return store_trouble("feedback", due.error());
  if (due->empty()) return lane.settings().feedback_interval;
  for (auto& f : *due) {
    auto r = http->send({"POST", f.kind == "rating" ? "/api/v1/ratings" : "/api/v1/complaints",
                         {{"Content-Type", "application/json"}, {"Idempotency-Key", f.id}}, f.body});
    secure_wipe(f.body);
    if (!r) return lane.transport_failed(r.error());
    lane.reached();
    Status st;
    if (r->status == 201 || r->status == 200) {
      st = outbox.mark_delivered(f.kind, f.id);
    } else {
      const Judgement j = judge(*r);
      if (j.verdict == Verdict::pause_lane) return lane.pause_for(*r);
      if (j.verdict == Verdict::lane_failure) return unexpected(lane, *r);
      if (j.verdict == Verdict::quarantine) st = outbox.quarantine(f.kind, f.id, j.reason);
      else st = outbox.schedule_retry(f.kind, f.id, std::chrono::system_clock::now() + lane.record_backoff(1), j.reason);
    }
    if (!st) return store_trouble("feedback", st.error());
  }
  return Millis(0);
}

Millis heartbeat_step(Lane& lane) {
  HttpClient* http = lane.http();
  if (!http) return Millis(5000);
  store::Store& s = lane.store();
  auto summary = outbox::Delivery(s).summary();
  if (!summary) return store_trouble("heartbeat", summary.error());
  std::string catalog_version;
  if (auto v = catalog::CatalogStore(s.db()).active_version(); v && *v) catalog_version = (*v)->second;
  // The spec's fields plus two extensions (README, "Central interface
  // extensions"; the central ignores unknown fields): queue.quarantined and
  // the audit chain's state, so that supervision sees refused records and a
  // broken chain without visiting the terminal; "system": the root slot
  // booted, each slot's version and the last update's outcome.
  json queue = {{"pending", summary->pending}, {"quarantined", summary->quarantined}};
  if (summary->oldest_pending_at) queue["oldest_pending_at"] = *summary->oldest_pending_at;
  auto chain = audit_report(s);
  if (!chain) return store_trouble("heartbeat", chain.error());
  const json body = {{"at", time::now_rfc3339()}, {"firmware_version", lane.settings().firmware_version},
                     {"queue", queue}, {"devices", device_report(s)}, {"catalog_version", catalog_version},
                     {"audit", *chain}, {"system", update::system_report(s.options().data_dir)}};
  auto r = http->send({"POST", "/api/v1/heartbeat", {{"Content-Type", "application/json"}}, body.dump()});
  if (!r) return lane.transport_failed(r.error());
  lane.reached();
  if (r->status != 200) return unexpected(lane, *r);
  auto reply = wire::parse_heartbeat_reply(r->body);
  if (!reply) return lane.settings().heartbeat_interval;
  for (const auto& why : reply->ignored) log::warn("sync", "heartbeat command ignored", {{"why", why}});
  lane.hub().set_update_offer(reply->update);
  for (const auto& c : reply->commands) {
    if (c == "refresh_catalog") lane.hub().kick(LaneId::catalog);
    else if (c == "upload_logs") log::info("sync", "the central asked for logs; this firmware has no log upload yet");
  }
  if (!reply->catalog_version.empty() && reply->catalog_version != catalog_version) lane.hub().kick(LaneId::catalog);
  return lane.settings().heartbeat_interval;
}

Millis retention_step(Lane& lane) {
  auto report = outbox::Delivery(lane.store()).purge(std::chrono::system_clock::now(), lane.settings().retention_days);
  if (!report) return store_trouble("retention", report.error());
  return report->skipped ? Millis(60000) : Millis(3600000);
}

}  // namespace bianmin::sync
