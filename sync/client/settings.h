// The sync daemon's tunables, read once from the configuration (the
// `sync.*` settings of firmware/config/config.cpp), and the retry policy.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "client/http_client.h"

namespace bianmin::config { class Config; }

namespace bianmin::sync {

using Millis = std::chrono::milliseconds;

struct SyncSettings {
  std::string central_url_override;  // sync.central_url
  int64_t chunk_bytes = 1 << 20;
  int64_t update_chunk_bytes = 32 << 20;  // sync.update_chunk_bytes
  Millis backoff_base{1000}, backoff_cap{300000}, online_jitter{2000};
  Millis probe_online{30000}, probe_offline{2000}, idle_poll{30000};
  Millis catalog_interval{3600000}, status_interval{600000}, feedback_interval{60000};
  Millis audit_interval{300000}, heartbeat_interval{300000};
  HttpTimeouts timeouts;
  int64_t retention_days = 180;
  std::string firmware_version;

  static SyncSettings from(const config::Config& cfg);
};

// "Full jitter" exponential backoff: a delay drawn uniformly from
// [0, min(cap, base · 2^failures)]. Spreading retries over the whole window
// (rather than around its end) is what keeps a fleet that failed together
// from retrying together.
Millis full_jitter(int64_t failures, Millis base, Millis cap, std::mt19937_64& rng);
// Uniform in [0, max].
Millis uniform_delay(Millis max, std::mt19937_64& rng);
std::mt19937_64 seeded_rng();

}  // namespace bianmin::sync
