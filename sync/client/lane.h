// One lane of the sync daemon: its store connection, its HTTP client for
// the current enrolment, its random source and its failure count, plus the
// rules that turn a central's answer into what to do next.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "client/http_client.h"
#include "client/hub.h"
#include "client/settings.h"

namespace bianmin::store { class Store; }

namespace bianmin::sync {

// What an answer that is not a success means for the record and the lane.
enum class Verdict {
  retry_record,  // this record later (5xx, 408, 409 in_progress); others go on
  quarantine,    // final 4xx: the central refuses this record for good
  pause_lane,    // 429/503: the central asks everyone to slow down
  lane_failure,  // 401/403/404/405: the central refuses this terminal or the call; no record is to blame
};

struct Judgement {
  Verdict verdict;
  std::string reason;  // "<code>: <message>" from the error body, else "HTTP <status>"
};
Judgement judge(const HttpResponse& r);

class Lane {
 public:
  Lane(LaneId id, Hub& hub, const SyncSettings& settings, store::Store& store);
  ~Lane();
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;

  LaneId id() const { return id_; }
  Hub& hub() { return hub_; }
  const SyncSettings& settings() const { return settings_; }
  store::Store& store() { return store_; }
  std::mt19937_64& rng() { return rng_; }

  // The client for the current enrolment and URL; nullptr when not enrolled.
  HttpClient* http();
  // A client for another origin ("https://host:port") with the same trust:
  // the pinned CA and this terminal's certificate. The central's own origin
  // gives http().
  HttpClient* http_to(const std::string& origin);
  // After a transport failure: the probe re-checks at once; returns how long
  // this lane waits (full jitter on its consecutive failures).
  Millis transport_failed(const Error& e);
  // After any answer from the central.
  void reached() { failures_ = 0; }
  // How long to pause after 429/503: Retry-After when given, else backoff.
  Millis pause_for(const HttpResponse& r);
  // Backoff for a record that failed `attempts` times so far.
  Millis record_backoff(int64_t attempts);
  int64_t failures() const { return failures_; }

  // Small state a lane keeps between its steps.
  struct Memo {
    bool published = false, online = false;
    std::string last_error;
    std::chrono::steady_clock::time_point published_at{};
    int64_t audit_resend_from = 0;
    std::string update_said;  // the update lane's last word, said once
    std::string update_failing;  // the offer (sha256) whose download or install failed …
    int update_failures = 0;     // … this many times in a row
    std::string update_sized;    // the offer (sha256) whose size a response told
  };
  Memo& memo() { return memo_; }

  // A second store connection and HTTP client of this lane, opened on first
  // use, for a second request in flight (the upload lane keeps two
  // applications moving so that one's round trips and fsyncs do not leave
  // the link idle). Its own failure count and random source; the same hub
  // and settings. nullptr when the store cannot be opened again.
  Lane* companion();

  // The daemon's watchdog sees a step that runs long but still moves bytes
  // (a bundle download, RAUC writing a slot) as alive when it calls this.
  void set_watch(std::atomic<std::int64_t>* step_started_ms) { watch_ = step_started_ms; }
  void progressed();

 private:
  LaneId id_;
  Hub& hub_;
  const SyncSettings& settings_;
  store::Store& store_;
  std::mt19937_64 rng_;
  std::shared_ptr<const Enrolment> enrolment_;
  std::unique_ptr<HttpClient> client_;
  std::string other_origin_;
  std::unique_ptr<HttpClient> other_client_;
  std::atomic<std::int64_t>* watch_ = nullptr;
  int64_t failures_ = 0;
  Memo memo_;
  std::unique_ptr<store::Store> companion_store_;
  std::unique_ptr<Lane> companion_;
  bool companion_refused_ = false;
};

// Each lane's step: does one round of work and returns how long to sleep
// before the next (a kick wakes it earlier).
Millis probe_step(Lane& lane);
Millis upload_step(Lane& lane);
Millis catalog_step(Lane& lane);
Millis status_step(Lane& lane);
Millis feedback_step(Lane& lane);
Millis audit_step(Lane& lane);
Millis heartbeat_step(Lane& lane);
Millis retention_step(Lane& lane);
Millis update_step(Lane& lane);

}  // namespace bianmin::sync
