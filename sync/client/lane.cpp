#include "client/lane.h"

#include "base/log.h"
#include "client/return_policy.h"
#include "common/wire.h"
#include "store/store.h"

namespace bianmin::sync {

Judgement judge(const HttpResponse& r) {
  std::string reason = "HTTP " + std::to_string(r.status);
  if (auto e = wire::parse_error(r.body); e) reason = e->code + (e->message.empty() ? "" : ": " + e->message);
  const long s = r.status;
  if (s == 429 || s == 503) return {Verdict::pause_lane, reason};
  if (s == 401 || s == 403 || s == 404 || s == 405 || s == 407) return {Verdict::lane_failure, reason};
  // The spec: a 4xx other than 408, 409, 412 and 429 is final for that request.
  if (s >= 400 && s < 500 && s != 408 && s != 409 && s != 412) return {Verdict::quarantine, reason};
  return {Verdict::retry_record, reason};
}

Lane::Lane(LaneId id, Hub& hub, const SyncSettings& settings, store::Store& store)
    : id_(id), hub_(hub), settings_(settings), store_(store), rng_(seeded_rng()) {}

HttpClient* Lane::http() {
  auto current = hub_.enrolment();
  if (!current) {
    client_.reset();
    enrolment_.reset();
    return nullptr;
  }
  if (current != enrolment_ || !client_) {
    enrolment_ = current;
    const std::string url = settings_.central_url_override.empty() ? current->central_url : settings_.central_url_override;
    client_ = std::make_unique<HttpClient>(url, trust_of(*current), settings_.timeouts);
    client_->set_stop_flag(&hub_.stop_flag());
  }
  return client_.get();
}

HttpClient* Lane::http_to(const std::string& origin) {
  HttpClient* own = http();
  if (!own || origin == own->base_url()) return own;
  if (origin != other_origin_ || !other_client_) {
    other_origin_ = origin;
    other_client_ = std::make_unique<HttpClient>(origin, trust_of(*enrolment_), settings_.timeouts);
    other_client_->set_stop_flag(&hub_.stop_flag());
  }
  return other_client_.get();
}

void Lane::progressed() {
  if (!watch_ || watch_->load() == 0) return;
  *watch_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
                .count();
}

Lane::~Lane() = default;

Lane* Lane::companion() {
  if (companion_ || companion_refused_) return companion_.get();
  auto opened = store::Store::open(store_.options());
  if (!opened) {
    companion_refused_ = true;  // asked once per daemon run, not on every step
    log::warn("sync", "no second store connection; one request at a time", {{"lane", lane_name(id_)},
                                                                             {"error", opened.error().message}});
    return nullptr;
  }
  companion_store_ = std::move(opened).value();
  companion_ = std::make_unique<Lane>(id_, hub_, settings_, *companion_store_);
  return companion_.get();
}

Millis Lane::transport_failed(const Error& e) {
  ++failures_;
  if (e.code != "stopped") {
    log::warn("sync", "central not reached", {{"lane", lane_name(id_)}, {"error", e.message}});
    hub_.kick(LaneId::probe);
  }
  return full_jitter(failures_ - 1, settings_.backoff_base, settings_.backoff_cap, rng_);
}

Millis Lane::pause_for(const HttpResponse& r) {
  ++failures_;
  std::optional<Millis> wait;
  if (auto ra = wire::parse_retry_after(r.header("retry-after"), std::chrono::system_clock::now()); ra)
    wait = std::chrono::duration_cast<Millis>(*ra);
  return busy_delay(wait, failures_, settings_, rng_);
}

Millis Lane::record_backoff(int64_t attempts) {
  return full_jitter(attempts, settings_.backoff_base, settings_.backoff_cap, rng_);
}

}  // namespace bianmin::sync
