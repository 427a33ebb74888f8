// What the daemon's lanes share: whether the central is reachable, the
// current enrolment, wake-ups ("kicks") and the stop flag. Each lane runs
// on its own thread with its own store connection and HTTP client, so a
// slow or failing lane never holds up another.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "client/enrolment.h"
#include "client/settings.h"
#include "common/wire.h"

namespace bianmin::sync {

enum class LaneId { probe, upload, catalog, status, feedback, audit, heartbeat, retention, update, count };
const char* lane_name(LaneId id);

class Hub {
 public:
  void stop();
  bool stopping() const { return stop_.load(); }
  const std::atomic<bool>& stop_flag() const { return stop_; }

  // Wakes a lane now (new work, a heartbeat command, a failure to re-probe).
  void kick(LaneId id);
  // Sleeps up to `timeout`, less when kicked or stopping. False when stopping.
  bool wait(LaneId id, Millis timeout);
  // Sleeps until the central is reachable (or kicked / `timeout`).
  bool wait_online(LaneId id, Millis timeout);

  void set_online(bool online);
  bool online() const;

  void set_enrolment(std::shared_ptr<const Enrolment> e);
  std::shared_ptr<const Enrolment> enrolment() const;

  // The system update the central offers in its latest heartbeat answer.
  // Set by the heartbeat lane, which kicks the update lane when it changes.
  struct OfferState {
    bool known = false;  // no heartbeat answered since the daemon started
    std::optional<wire::UpdateOffer> offer;  // nullopt: none, or withdrawn
  };
  void set_update_offer(std::optional<wire::UpdateOffer> offer);
  OfferState update_offer() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  bool online_ = false;
  std::array<bool, static_cast<std::size_t>(LaneId::count)> kicked_{};
  std::shared_ptr<const Enrolment> enrolment_;
  OfferState update_offer_;
};

}  // namespace bianmin::sync
