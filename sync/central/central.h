// The reference central approval server (spec/central-api.md), for
// development, the demo and integration tests: HTTPS (cpp-httplib) on
// loopback by default, its own CA made on first start (it signs the server
// certificate and the terminals' client certificates), its own SQLite
// database, enrolment codes, catalogue publishing, case numbers, a
// resumable blob store with digest check, idempotent applications, ratings
// and complaints, progress tokens, audit-chain verification, heartbeats and
// a status workflow advanced by command or on a demo schedule.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "catalog/model.h"
#include "central/attempt_limiter.h"
#include "central/return_schedule.h"
#include "central/central_db.h"
#include "common/pki.h"

namespace httplib {
class Server;
class ContentReader;
struct Request;
struct Response;
}  // namespace httplib

namespace bianmin::sync::central {

struct CentralOptions {
  std::string data_dir = "central-data";
  std::vector<std::string> hostnames = {"localhost", "127.0.0.1"};
  std::string receipt_query_url = "https://zwfw.example.gov.cn/q/{receipt_no}?t={token}";
  int processing_delay_ms = 0;  // hold each application this long (to show 409 in_progress)
  int max_inflight = 0;         // >0: answer 503 + Retry-After beyond this many requests at once
  int retry_after_s = 2;         // the least Retry-After of those 503s (return_schedule.h)
  // The return window advised in the health answer (return_window_s): the
  // seconds over which the fleet should spread its return after an outage,
  // fleet × requests each / capacity. Fleet: terminals that come back
  // together (0: those enrolled); capacity: requests a second the central
  // serves (0: as measured while it last shed load; unknown before).
  int fleet_size = 0;
  int capacity_per_s = 0;
  int return_requests = 4;       // a returning terminal's requests: probe, heartbeat, a few uploads
  int threads = 128;            // worker threads (each open connection holds one)
  // Slow or idle peers (guarded_server.h): connections one address may hold,
  // the time a handshake plus a request's headers (and an unauthenticated
  // request's body) may take, and the idle time between requests.
  int max_connections_per_peer = 32;
  int header_timeout_ms = 10000;
  int keep_alive_idle_ms = 5000;
  // Enrolment guessing: after this many refused enrolments from one address
  // within the window, 429 + Retry-After until the oldest leaves it.
  int enroll_failures_allowed = 10;
  int enroll_failure_window_s = 600;
  int demo_advance_s = 0;       // >0: every N s, move every open case one workflow step
};

// Counters for tests and benchmarks (also persisted where noted).
struct Metrics {
  std::atomic<int64_t> requests{0}, rejected_busy{0};
  std::atomic<int64_t> patch_body_bytes{0};  // every PATCH body byte read, also persisted
};

class Central {
 public:
  static Result<std::unique_ptr<Central>> open(const CentralOptions& options);
  ~Central();
  Central(const Central&) = delete;
  Central& operator=(const Central&) = delete;

  // --- management (the CLI) ---
  const std::string& ca_pem() const { return authority_.cert_pem; }
  std::string ca_fingerprint() const;
  // Returns the code (a fresh one when `code` is empty).
  Result<std::string> add_enrollment_code(const std::string& terminal_id, const std::string& region_code,
                                          const std::string& hall_name, std::string code, int valid_hours);
  Result<std::string> publish_catalog(const std::string& json_text);  // → version
  Status advance(const std::string& case_no, const std::string& status, const std::string& note);
  Result<int64_t> advance_open_cases();  // one demo step; → cases moved
  Status queue_command(const std::string& terminal_id, const std::string& type);
  // System updates (central_updates.cpp): offers `bundle` (copied into the
  // central's directory) to `percent` of the terminals, replacing any
  // earlier offer; → {"sha256","version","length","percent"}.
  Result<nlohmann::json> offer_update(const std::string& bundle, const std::string& version, int percent);
  Result<nlohmann::json> withdraw_update();  // → {"withdrawn":[…]}
  Result<nlohmann::json> stats(bool verify_blobs);
  Result<nlohmann::json> list_applications();
  Result<nlohmann::json> list_terminals();
  // An operator has looked into a terminal's audit chain break (central_audit.cpp):
  // the entries held from the break on are set aside and the chain continues
  // from the entry before it. "not_found" when no break is open.
  Result<nlohmann::json> clear_audit_break(const std::string& terminal_id, const std::string& cleared_by,
                                           const std::string& note);

  // --- serving ---
  // Binds host:port (port 0: any) and returns the port.
  Result<int> bind(const std::string& host, int port);
  void serve();  // blocks until stop()
  void stop();
  const Metrics& metrics() const { return metrics_; }
  // Requests that arrived in each 100 ms since bind().
  std::vector<uint32_t> arrivals() const;

  // --- handlers (central_*.cpp) ---
  struct Terminal {
    std::string terminal_id, region_code, hash;
    int64_t audit_seq = 0;
    std::string audit_hash;
  };

 private:
  Central(CentralOptions o, std::unique_ptr<CentralDb> db);
  Status load_or_create_authority();
  void route();
  template <class Fn>
  void guarded(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader, Fn&& body);
  std::optional<Terminal> authenticate(const httplib::Request& req, httplib::Response& res);
  // Before any body is read (pre-routing and 100-continue): framing, size,
  // client certificate, enrolment throttle. True when `res` holds a refusal.
  bool refuse_early(const httplib::Request& req, httplib::Response& res);

  void on_health(const httplib::Request& req, httplib::Response& res);
  void on_enroll(const httplib::Request& req, httplib::Response& res);
  void on_catalog(const httplib::Request& req, httplib::Response& res);
  void on_blob_head(const httplib::Request& req, httplib::Response& res);
  int on_expect_continue(const httplib::Request& req, httplib::Response& res);
  void on_blob_patch(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);
  void on_application(const httplib::Request& req, httplib::Response& res);
  void on_status_query(const httplib::Request& req, httplib::Response& res);
  void on_progress(const httplib::Request& req, httplib::Response& res);
  void on_feedback(const httplib::Request& req, httplib::Response& res, const std::string& kind);
  void on_audit(const httplib::Request& req, httplib::Response& res);
  void on_heartbeat(const httplib::Request& req, httplib::Response& res);
  void on_update_download(const httplib::Request& req, httplib::Response& res);

  // The update on offer (central_updates.cpp); the caller holds the db lock.
  struct UpdateOffer {
    std::string sha256, version;
    int64_t length = 0;
    int percent = 0;
  };
  Result<std::optional<UpdateOffer>> current_update();
  // The heartbeat answer's update command for this terminal, if any (the
  // caller holds the db lock).
  std::optional<nlohmann::json> update_command(const httplib::Request& req, const std::string& terminal_id,
                                               const std::string& running_version);
  std::string update_path(const std::string& sha) const;
  void remove_bundles_but(const std::string& sha);

  // The newest published catalogue, parsed (reloaded when a newer one is published).
  struct ActiveCatalog {
    int64_t id = 0;
    std::string version, body;
    catalog::Catalog catalog;
  };
  std::shared_ptr<const ActiveCatalog> active_catalog();
  // The caller holds the db lock.
  Result<nlohmann::json> status_of(const std::string& terminal_id, const std::string& client_id);
  // What one terminal may see of a blob (central_blobs.cpp): the complete
  // blob if it uploaded all of it, else its own partial upload, else nothing.
  struct BlobView {
    int64_t length = -1;  // -1: nothing of this blob is this terminal's
    bool complete = false;
  };
  Result<BlobView> blob_view(const std::string& terminal_id, const std::string& sha);  // caller holds the db lock
  int64_t blob_offset(const std::string& terminal_id, const std::string& sha, const BlobView& view) const;
  std::string blob_path(const std::string& sha) const;                                // complete, shared
  std::string part_path(const std::string& terminal_id, const std::string& sha) const;  // this terminal's upload
  std::shared_ptr<std::mutex> blob_mutex(const std::string& key);
  void discard_unowned_parts();
  void count_arrival();

  CentralOptions opts_;
  std::unique_ptr<CentralDb> db_;
  pki::Authority authority_;
  pki::ServerCert server_cert_;
  std::unique_ptr<httplib::Server> server_;
  Metrics metrics_;
  std::atomic<int> inflight_{0};
  AttemptLimiter enrol_attempts_;
  ReturnSchedule return_schedule_;
  int64_t fleet_size();  // opts_.fleet_size or the enrolled terminals, counted at most once a minute
  std::mutex fleet_mu_;
  int64_t fleet_counted_ = 0;
  std::chrono::steady_clock::time_point fleet_counted_at_{};

  std::mutex catalog_mu_;
  std::shared_ptr<const ActiveCatalog> catalog_;

  std::mutex keys_mu_;
  std::set<std::string> in_progress_;  // idempotency keys being processed
  std::map<std::string, std::weak_ptr<std::mutex>> blob_locks_;

  mutable std::mutex arrivals_mu_;
  std::chrono::steady_clock::time_point started_{};
  std::vector<uint32_t> arrivals_;

  std::thread demo_;
  std::atomic<bool> stopping_{false};
};

// A terminal's staged-rollout bucket, 0–99 (central_updates.cpp).
int rollout_bucket(const std::string& terminal_id);

// Working days (Monday–Friday) after the local date of `from`: "YYYY-MM-DD".
std::string add_working_days(std::chrono::system_clock::time_point from, int days);

}  // namespace bianmin::sync::central
