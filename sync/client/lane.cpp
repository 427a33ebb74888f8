#include "client/lane.h"

#include "base/log.h"
#include "common/wire.h"

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
  if (auto ra = wire::parse_retry_after(r.header("retry-after"), std::chrono::system_clock::now()); ra) {
    // Honour the central's wish, plus a little jitter so a fleet that was
    // told the same number does not come back in the same millisecond.
    return std::chrono::duration_cast<Millis>(*ra) + uniform_delay(settings_.backoff_base, rng_);
  }
  return full_jitter(failures_ - 1, settings_.backoff_base, settings_.backoff_cap, rng_);
}

Millis Lane::record_backoff(int64_t attempts) {
  return full_jitter(attempts, settings_.backoff_base, settings_.backoff_cap, rng_);
}

}  // namespace bianmin::sync
