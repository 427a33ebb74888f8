#include "client/hub.h"

namespace bianmin::sync {

const char* lane_name(LaneId id) {
  switch (id) {
    case LaneId::probe: return "probe";
    case LaneId::upload: return "upload";
    case LaneId::catalog: return "catalog";
    case LaneId::status: return "status";
    case LaneId::feedback: return "feedback";
    case LaneId::audit: return "audit";
    case LaneId::heartbeat: return "heartbeat";
    case LaneId::retention: return "retention";
    case LaneId::update: return "update";
    case LaneId::count: break;
  }
  return "?";
}

void Hub::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
}

void Hub::kick(LaneId id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    kicked_[static_cast<std::size_t>(id)] = true;
  }
  cv_.notify_all();
}

bool Hub::wait(LaneId id, Millis timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  auto& k = kicked_[static_cast<std::size_t>(id)];
  cv_.wait_for(lock, timeout, [&] { return stop_.load() || k; });
  k = false;
  return !stop_;
}

bool Hub::wait_online(LaneId id, Millis timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  auto& k = kicked_[static_cast<std::size_t>(id)];
  cv_.wait_for(lock, timeout, [&] { return stop_.load() || online_ || k; });
  k = false;
  return !stop_;
}

void Hub::set_online(bool online) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (online_ == online) return;
    online_ = online;
    // Back online: every lane ends whatever backoff it was sleeping off, so
    // the queue moves again within a probe interval (plus the fleet jitter).
    if (online) kicked_.fill(true);
  }
  cv_.notify_all();
}

bool Hub::online() const {
  std::lock_guard<std::mutex> lock(mu_);
  return online_;
}

void Hub::set_enrolment(std::shared_ptr<const Enrolment> e) {
  std::lock_guard<std::mutex> lock(mu_);
  enrolment_ = std::move(e);
}

std::shared_ptr<const Enrolment> Hub::enrolment() const {
  std::lock_guard<std::mutex> lock(mu_);
  return enrolment_;
}

void Hub::set_update_offer(std::optional<wire::UpdateOffer> offer) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (update_offer_.known && offer == update_offer_.offer) return;
    update_offer_ = {true, std::move(offer)};
  }
  kick(LaneId::update);
}

Hub::OfferState Hub::update_offer() const {
  std::lock_guard<std::mutex> lock(mu_);
  return update_offer_;
}

}  // namespace bianmin::sync
