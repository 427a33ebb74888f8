#include "client/settings.h"

#include <algorithm>

#include "config/config.h"

namespace bianmin::sync {

SyncSettings SyncSettings::from(const config::Config& cfg) {
  SyncSettings s;
  auto ms = [&](const char* key) { return Millis(cfg.integer(key)); };
  auto secs = [&](const char* key) { return Millis(cfg.integer(key) * 1000); };
  s.central_url_override = cfg.str("sync.central_url");
  s.chunk_bytes = std::max<int64_t>(1024, cfg.integer("sync.chunk_bytes"));
  s.update_chunk_bytes = std::max<int64_t>(4096, cfg.integer("sync.update_chunk_bytes"));
  s.backoff_base = std::max(Millis(1), ms("sync.backoff_base_ms"));
  s.backoff_cap = std::max(s.backoff_base, secs("sync.backoff_cap_s"));
  s.online_jitter = ms("sync.online_jitter_ms");
  s.probe_online = std::max(Millis(100), ms("sync.probe_online_ms"));
  s.probe_offline = std::max(Millis(100), ms("sync.probe_offline_ms"));
  s.idle_poll = std::max(Millis(100), secs("sync.idle_poll_s"));
  s.catalog_interval = std::max(Millis(1000), secs("sync.catalog_interval_s"));
  s.status_interval = std::max(Millis(1000), secs("sync.status_interval_s"));
  s.feedback_interval = std::max(Millis(1000), secs("sync.feedback_interval_s"));
  s.audit_interval = std::max(Millis(1000), secs("sync.audit_interval_s"));
  s.heartbeat_interval = std::max(Millis(1000), secs("sync.heartbeat_interval_s"));
  s.timeouts.connect_s = std::max<long>(1, static_cast<long>(cfg.integer("sync.connect_timeout_s")));
  s.timeouts.stall_s = std::max<long>(1, static_cast<long>(cfg.integer("sync.stall_timeout_s")));
  s.retention_days = cfg.integer("sync.retention_days");
  s.firmware_version = BIANMIN_VERSION;
  return s;
}

Millis full_jitter(int64_t failures, Millis base, Millis cap, std::mt19937_64& rng) {
  const int64_t shift = std::clamp<int64_t>(failures, 0, 40);
  const int64_t window = base.count() > (cap.count() >> shift) ? cap.count() : std::min(cap.count(), base.count() << shift);
  return uniform_delay(Millis(window), rng);
}

Millis uniform_delay(Millis max, std::mt19937_64& rng) {
  if (max.count() <= 0) return Millis(0);
  std::uniform_int_distribution<int64_t> d(0, max.count());
  return Millis(d(rng));
}

std::mt19937_64 seeded_rng() {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd()};
  return std::mt19937_64(seq);
}

}  // namespace bianmin::sync
