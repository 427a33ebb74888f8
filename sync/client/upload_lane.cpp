// The upload lane: blobs (HEAD, then PATCH from the central's offset in
// chunks) and then the application (POST with Idempotency-Key = client_id,
// the sealed body sent byte for byte), oldest first, two applications in
// flight at once (upload_step), each outcome recorded as it comes.
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "base/bytes.h"
#include "base/log.h"
#include "client/lane.h"
#include "common/wire.h"
#include "outbox/application_store.h"
#include "outbox/delivery.h"
#include "store/store.h"
#include "update/quiet_gate.h"

namespace bianmin::sync {
namespace {

// What happened to one application (or one of its blobs).
struct Step {
  enum Kind { done, next_record, lane_wait } kind = done;
  Millis wait{0};
  static Step ok() { return {done, Millis(0)}; }
  static Step skip() { return {next_record, Millis(0)}; }
  static Step hold(Millis w) { return {lane_wait, w}; }
};

class Uploader {
 public:
  Uploader(Lane& lane, HttpClient& http) : lane_(lane), http_(http), delivery_(lane.store()), apps_(lane.store()) {}

  Step deliver(const std::string& client_id);

 private:
  Step upload_blob(const outbox::ApplicationRecord& rec, const outbox::StoredBlob& b);
  Step after_failure(const outbox::ApplicationRecord& rec, const HttpResponse& r);
  Step retry_later(const outbox::ApplicationRecord& rec, const std::string& why, Millis delay);
  Step quarantine(const outbox::ApplicationRecord& rec, const std::string& why);
  Result<int64_t> central_offset(const std::string& sha, Step* failure, const outbox::ApplicationRecord& rec);

  Lane& lane_;
  HttpClient& http_;
  outbox::Delivery delivery_;
  outbox::ApplicationStore apps_;
};

Status bump_counter(store::Store& s, const char* name, int64_t delta) {
  BIANMIN_ASSIGN(store::Statement st, s.db().prepare(
      "INSERT INTO counters(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value"));
  st.bind(1, name).bind(2, delta);
  return st.run();
}

Step log_store_error(const Error& e) {
  log::error("sync", "store error in the upload lane", {{"error", e.message}});
  return Step::hold(Millis(2000));
}

Step Uploader::retry_later(const outbox::ApplicationRecord& rec, const std::string& why, Millis delay) {
  log::info("sync", "application will be retried", {{"client_id", rec.client_id}, {"reason", why},
                                                    {"delay_ms", delay.count()}});
  if (auto st = delivery_.schedule_retry(rec.client_id, std::chrono::system_clock::now() + delay, why); !st)
    return log_store_error(st.error());
  return Step::skip();
}

Step Uploader::quarantine(const outbox::ApplicationRecord& rec, const std::string& why) {
  if (auto st = delivery_.quarantine(rec.client_id, why); !st) return log_store_error(st.error());
  return Step::skip();
}

Step Uploader::after_failure(const outbox::ApplicationRecord& rec, const HttpResponse& r) {
  const Judgement j = judge(r);
  switch (j.verdict) {
    case Verdict::quarantine: return quarantine(rec, j.reason);
    case Verdict::pause_lane: {
      const Millis w = lane_.pause_for(r);
      log::warn("sync", "the central asks to slow down", {{"status", r.status}, {"pause_ms", w.count()}});
      return Step::hold(w);
    }
    case Verdict::lane_failure: {
      log::error("sync", "the central refuses this terminal's uploads", {{"status", r.status}, {"reason", j.reason}});
      return Step::hold(lane_.settings().backoff_cap);
    }
    case Verdict::retry_record:
      break;
  }
  // 409 in_progress: the first request is still being processed; come back
  // soon. 408 and 5xx: this record backs off on its own.
  if (r.status == 409 || r.status == 408) return retry_later(rec, j.reason, Millis(500) + lane_.record_backoff(0));
  return retry_later(rec, j.reason, lane_.record_backoff(rec.attempts));
}

Result<int64_t> Uploader::central_offset(const std::string& sha, Step* failure, const outbox::ApplicationRecord& rec) {
  auto head = http_.send({"HEAD", "/api/v1/blobs/" + sha, {}, {}});
  if (!head) {
    *failure = Step::hold(lane_.transport_failed(head.error()));
    return head.take_error();
  }
  lane_.reached();
  if (head->status == 404) return int64_t{0};
  if (head->status == 200) {
    if (auto off = wire::parse_length_header(head->header("upload-offset")); off) return *off;
    *failure = retry_later(rec, "the central's HEAD has no valid Upload-Offset", lane_.record_backoff(rec.attempts));
    return make_error("response_invalid", "no Upload-Offset");
  }
  *failure = after_failure(rec, *head);
  return make_error("http", "HEAD " + std::to_string(head->status));
}

Step Uploader::upload_blob(const outbox::ApplicationRecord& rec, const outbox::StoredBlob& b) {
  Step failure;
  auto first = central_offset(b.sha256, &failure, rec);
  if (!first) return failure;
  int64_t offset = *first;
  const int64_t total = b.bytes;
  if (offset >= total) return Step::ok();
  auto plain = lane_.store().blobs().get(b.sha256);
  if (!plain) return quarantine(rec, "local_blob_unreadable: " + plain.error().message);
  struct Wipe {
    std::string& s;
    ~Wipe() { secure_wipe(s); }
  } wipe{*plain};
  int conflicts = 0;
  bool resumed = true;  // right after a HEAD: ask before sending the body
  while (offset < total) {
    if (lane_.hub().stopping()) return Step::hold(Millis(0));
    const int64_t n = std::min(lane_.settings().chunk_bytes, total - offset);
    const std::string_view chunk = std::string_view(*plain).substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(n));
    // Counted before sending, so that a kill mid-transfer is counted too:
    // attempted − delivered is what cuts and kills made the terminal resend.
    if (auto st = bump_counter(lane_.store(), "sync:blob_bytes_attempted", n); !st) return log_store_error(st.error());
    const int64_t sent_before = http_.body_bytes_sent();
    auto r = http_.send({"PATCH", "/api/v1/blobs/" + b.sha256,
                         {{"Upload-Offset", std::to_string(offset)}, {"Upload-Length", std::to_string(total)},
                          {"Content-Type", "application/offset+octet-stream"}},
                         chunk, resumed});
    resumed = false;
    // Bytes that never left (a refusal before the body) were not attempted after all.
    if (const int64_t unsent = n - (http_.body_bytes_sent() - sent_before); unsent > 0)
      if (auto st = bump_counter(lane_.store(), "sync:blob_bytes_attempted", -unsent); !st) return log_store_error(st.error());
    // A cut connection: the next attempt asks the central (HEAD) where to
    // resume, so at most this one chunk is sent again.
    if (!r) return Step::hold(lane_.transport_failed(r.error()));
    lane_.reached();
    const auto reported = wire::parse_length_header(r->header("upload-offset"));
    if (r->status == 204 || r->status == 200) {
      if (reported && *reported > offset && *reported <= total) {
        offset = *reported;
        continue;
      }
    } else if (r->status == 409) {
      // Not where the central is (another connection of ours is finishing,
      // or it lost data): take its offset and go on from there.
      if (++conflicts > 8) return retry_later(rec, "upload offset keeps conflicting", lane_.record_backoff(rec.attempts));
      std::this_thread::sleep_for(Millis(20 * conflicts));
      resumed = true;
    } else if (r->status == 422) {
      return retry_later(rec, "digest_mismatch: the central discarded the partial blob " + b.sha256,
                         lane_.record_backoff(rec.attempts));
    } else if (r->status == 413) {
      return quarantine(rec, "blob_too_large: " + b.sha256 + " (" + std::to_string(total) + " bytes)");
    } else {
      return after_failure(rec, *r);
    }
    if (reported && *reported <= total) {
      offset = *reported;
    } else {
      auto again = central_offset(b.sha256, &failure, rec);
      if (!again) return failure;
      offset = *again;
    }
  }
  return Step::ok();
}

Step Uploader::deliver(const std::string& client_id) {
  auto got = apps_.get(client_id);
  if (!got) return log_store_error(got.error());
  if (!*got || (*got)->state != "queued") return Step::skip();
  outbox::ApplicationRecord rec = std::move(**got);
  // The delivery holds the update gate open to its end, so an installed
  // update reboots between deliveries (update/quiet_gate.h); once a reboot
  // has shut the gate, the application waits for the new system.
  auto gate = update::hold_open(lane_.store().options().data_dir);
  if (!gate && gate.error().code == "rebooting") return Step::hold(Millis(5000));
  for (int round = 0; round < 3; ++round) {
    std::set<std::string> seen;
    for (const auto& b : rec.blobs) {
      if (b.uploaded || !seen.insert(b.sha256).second) continue;
      Step s = upload_blob(rec, b);
      if (s.kind != Step::done) return s;
      if (auto st = delivery_.set_blob_uploaded(b.sha256, true); !st) return log_store_error(st.error());
    }
    auto body = apps_.request_body(client_id);
    if (!body) return quarantine(rec, "local_data_unreadable: " + body.error().message);
    auto r = http_.send({"POST", "/api/v1/applications",
                         {{"Content-Type", "application/json"}, {"Idempotency-Key", client_id}}, *body});
    secure_wipe(*body);
    if (!r) return Step::hold(lane_.transport_failed(r.error()));
    lane_.reached();
    if (r->status == 201 || r->status == 200) {
      // Accepted. A malformed answer must not make us send it again: the
      // case number then arrives with the next status poll.
      outbox::Acceptance a;
      if (auto acc = wire::parse_acceptance(r->body); acc) a = {acc->case_no, acc->status, acc->received_at, acc->deadline};
      else log::warn("sync", "the central accepted an application with a malformed answer", {{"client_id", client_id}});
      if (auto st = delivery_.mark_delivered(client_id, a); !st) return log_store_error(st.error());
      log::info("sync", "application delivered", {{"client_id", client_id}, {"receipt_no", rec.receipt_no},
                                                  {"case_no", a.case_no}});
      return Step::ok();
    }
    if (r->status != 412) return after_failure(rec, *r);
    // blobs_missing: the central lost (or never completed) some blobs we
    // thought were there. Upload them again and retry.
    auto e = wire::parse_error(r->body);
    bool ours = false;
    for (auto& b : rec.blobs) {
      if (e && std::find(e->missing.begin(), e->missing.end(), b.sha256) == e->missing.end()) continue;
      b.uploaded = false;
      ours = true;
      if (auto st = delivery_.set_blob_uploaded(b.sha256, false); !st) return log_store_error(st.error());
    }
    if (!ours) break;
  }
  return retry_later(rec, "blobs_missing after uploading them again", lane_.record_backoff(rec.attempts));
}

}  // namespace

Millis upload_step(Lane& lane) {
  HttpClient* http = lane.http();
  if (!http) return Millis(5000);
  outbox::Delivery delivery(lane.store());
  const auto now = std::chrono::system_clock::now();
  auto due = delivery.due(now, 20);
  if (!due) return log_store_error(due.error()).wait;
  if (due->empty()) {
    auto next = delivery.next_due();
    if (!next || !*next) return lane.settings().idle_poll;
    const auto in = std::chrono::duration_cast<Millis>(**next - now);
    return std::clamp(in, Millis(20), lane.settings().idle_poll);
  }
  // Two applications in flight, each on its own connection and store
  // connection: while one waits for the central's answer, its fsync or the
  // next HEAD, the other's bytes keep the link busy (one at a time left a
  // 10 Mbit/s link idle for a seventh of the time). Each application is
  // still handled by one worker from start to end, so its blobs and its
  // POST keep their order; the two never hold the same application.
  // The list is refilled from the store as it runs dry (not per batch of
  // 20, whose last application would travel alone), up to 200 per step.
  std::mutex mu;
  std::deque<std::string> todo(due->begin(), due->end());
  std::set<std::string> taken(due->begin(), due->end());
  bool dry = false;
  std::optional<Millis> hold;
  auto take = [&](Lane& l) -> std::optional<std::string> {
    std::lock_guard<std::mutex> lock(mu);
    if (hold || lane.hub().stopping()) return std::nullopt;
    if (todo.empty() && !dry && taken.size() < 200) {
      auto more = outbox::Delivery(l.store()).due(std::chrono::system_clock::now(), 20);
      dry = true;
      if (more)
        for (auto& id : *more)
          if (taken.insert(id).second) {
            todo.push_back(id);
            dry = false;
          }
    }
    if (todo.empty()) return std::nullopt;
    std::string id = std::move(todo.front());
    todo.pop_front();
    return id;
  };
  auto work = [&](Lane& l) {
    HttpClient* client = l.http();
    if (!client) return;
    Uploader up(l, *client);
    while (auto id = take(l)) {
      const Step s = up.deliver(*id);
      if (s.kind == Step::lane_wait) {
        std::lock_guard<std::mutex> lock(mu);
        hold = std::max(hold.value_or(Millis(0)), s.wait);
        return;
      }
    }
  };
  std::thread second;
  if (due->size() > 1)
    if (Lane* other = lane.companion())
      second = std::thread([&, other] {
        // The daemon catches a lane's exceptions on the lane's own thread only.
        try {
          work(*other);
        } catch (const std::exception& e) {
          log::error("sync", "upload worker failed", {{"error", e.what()}});
          std::lock_guard<std::mutex> lock(mu);
          hold = std::max(hold.value_or(Millis(0)), Millis(5000));
        }
      });
  {
    struct Join {  // also when the lane's own work throws (the daemon catches it)
      std::thread& t;
      ~Join() {
        if (t.joinable()) t.join();
      }
    } join{second};
    work(lane);
  }
  return hold.value_or(Millis(0));
}

}  // namespace bianmin::sync
