// The update lane: a system update the central offers in its heartbeat
// answer is downloaded chunk by chunk into <data_dir>/updates, checked
// against the offered SHA-256 and handed to RAUC, exactly as a technician's
// `bianmin update install` (update/installer.h): RAUC checks the signature
// and writes the other slot, update.json records the outcome, and the
// reboot waits for a quiet moment. One offer at a time: a new offer
// replaces the old one's files, and a withdrawn offer removes them.
#include <sys/statvfs.h>

#include "base/log.h"
#include "client/bundle_download.h"
#include "client/lane.h"
#include "client/update_offer.h"
#include "store/store.h"
#include "update/installer.h"
#include "update/rauc_client.h"
#include "update/system_bus.h"
#include "update/system_report.h"

namespace bianmin::sync {

namespace {

constexpr Millis kIdle{3600000};  // the heartbeat lane kicks this one when an offer comes

std::string updates_dir(Lane& lane) { return lane.store().options().data_dir + "/updates"; }

// "https://host:port/path" → {"https://host:port", "/path"}; a path → {"", path}.
std::pair<std::string, std::string> split_url(const std::string& url) {
  if (!url.empty() && url.front() == '/') return {"", url};
  const auto slash = url.find('/', 8);  // after "https://"
  if (slash == std::string::npos) return {url, "/"};
  return {url.substr(0, slash), url.substr(slash)};
}

int64_t free_bytes(const std::string& dir) {
  struct statvfs v {};
  if (::statvfs(dir.c_str(), &v) != 0) return -1;
  return static_cast<int64_t>(v.f_bavail) * static_cast<int64_t>(v.f_frsize);
}

// Says `what` once per offer and reason, not at every step.
void say_once(Lane& lane, const wire::UpdateOffer& offer, const std::string& what, bool warn = false) {
  std::string& said = lane.memo().update_said;
  const std::string key = offer.sha256 + "\n" + what;
  if (said == key) return;
  said = key;
  log::write(warn ? log::Level::warn : log::Level::info, "sync", what,
             {{"version", offer.version}, {"sha256", offer.sha256}});
}

// A download or an install that failed is retried a few times, minutes
// apart; then not before the daemon restarts (a reboot, say) or the central
// offers another bundle: an install that fails for good must not rewrite a
// slot every few minutes for ever, nor a corrupt bundle be fetched again
// and again over a township's line. What counts: a bundle that does not
// match its hash, a disk that cannot take it, a refused download, a failed
// install; a cut link or a server error does not (the download resumes).
constexpr int kAttempts = 3;
constexpr Millis kGaveUp{24 * 3600000};

Millis retry_later(Lane& lane, const wire::UpdateOffer& offer) {
  auto& m = lane.memo();
  if (m.update_failing != offer.sha256) m.update_failures = 0;
  m.update_failing = offer.sha256;
  ++m.update_failures;
  return lane.record_backoff(8);
}

bool is_transport(const Error& e) {
  static const char* kCodes[] = {"unreachable", "tls_untrusted", "tls_failed", "interrupted", "stopped",
                                 "response_too_large"};
  for (const char* c : kCodes)
    if (e.code == c) return true;
  return false;
}

bool gave_up(Lane& lane, const wire::UpdateOffer& offer) {
  const auto& m = lane.memo();
  return m.update_failing == offer.sha256 && m.update_failures >= kAttempts;
}

// The data partition keeps room for the store (its own minimum plus a
// margin) however large the bundle: an update never fills the disk that
// applications are queued on.
bool room_for(Lane& lane, const wire::UpdateOffer& offer, const DownloadStep& step) {
  if (step.total < 0) return true;
  const int64_t reserve = (lane.store().options().min_free_mb + 64) << 20;
  const int64_t free = free_bytes(updates_dir(lane));
  if (free < 0 || free - (step.total - step.have) >= reserve) return true;
  say_once(lane, offer, "no room on the data partition for the offered update (" +
                            std::to_string(step.total >> 20) + " MiB bundle, " + std::to_string(free >> 20) +
                            " MiB free); not downloading it", true);
  return false;
}

Millis install(Lane& lane, const wire::UpdateOffer& offer, BundleDownload& download) {
  const std::string data_dir = lane.store().options().data_dir;
  auto unreachable = [&](const Error& e) {
    say_once(lane, offer, "update downloaded, but RAUC cannot be reached: " + e.message, true);
    (void)update::write_update_record(data_dir, {offer.version, update::Outcome::failed,
                                                 "RAUC not reachable: " + e.message, "", ""});
    return retry_later(lane, offer);
  };
  auto bus = update::SystemBus::open();
  if (!bus) return unreachable(bus.error());
  update::Rauc rauc(*bus);
  log::info("sync", "installing the offered update", {{"version", offer.version}});
  int told = -1;
  update::InstallRequest req{download.bundle_path(), data_dir};
  req.expected_version = offer.version;
  auto report = update::install_bundle(req, rauc, [&](int percent, const std::string& step) {
    lane.progressed();
    if (percent / 25 != told / 25) log::info("sync", "update install", {{"percent", percent}, {"step", step}});
    told = percent;
  });
  if (!report) {
    const std::string& code = report.error().code;
    if (code == "rauc_unavailable" || code == "bus_failed") return unreachable(report.error());
    const bool refused = code == "refused";
    log::error("sync", refused ? "the offered update was refused" : "the offered update failed to install",
               {{"version", offer.version}, {"error", report.error().message}});
    // A refused bundle is never taken again (update_offer.h), so its bytes
    // go; a failed install keeps them for the retry.
    if (refused) download.remove_all();
    return refused ? kIdle : retry_later(lane, offer);
  }
  download.remove_all();  // RAUC wrote the slot; the bundle is no longer needed
  lane.memo().update_failures = 0;
  log::info("sync", "update installed; the terminal restarts when quiet",
            {{"version", report->version}, {"slot", report->slot}});
  return kIdle;
}

}  // namespace

Millis update_step(Lane& lane) {
  const Hub::OfferState state = lane.hub().update_offer();
  // Before the first heartbeat answer nothing is known: a part downloaded
  // before a restart waits for the offer to stand again.
  if (!state.known) return kIdle;
  const auto& offer = state.offer;
  if (!offer) {
    // None offered, or withdrawn: nothing of an earlier offer stays.
    BundleDownload(updates_dir(lane), "-").remove_all();
    return kIdle;
  }
  const std::string data_dir = lane.store().options().data_dir;
  BundleDownload download(updates_dir(lane), offer->sha256);
  download.remove_others();
  auto last = update::read_update_record(data_dir);
  const std::optional<update::UpdateRecord> record = last ? *last : std::nullopt;
  const OfferVerdict verdict = judge_offer(*offer, running_version(update::system_report(data_dir)), record);
  if (!verdict.take) {
    say_once(lane, *offer, "offered update not taken: " + verdict.why);
    download.remove_all();
    return kIdle;
  }
  if (gave_up(lane, *offer)) {
    say_once(lane, *offer, "the offered update failed " + std::to_string(kAttempts) +
                               " times; not tried again until the daemon restarts or another is offered", true);
    download.remove_all();  // its space goes back to the store meanwhile
    return kGaveUp;
  }
  if (download.complete()) return install(lane, *offer, download);

  const auto [origin, path] = split_url(offer->url);
  HttpClient* http = origin.empty() ? lane.http() : lane.http_to(origin);
  if (!http) return Millis(5000);
  if (download.have() == 0) say_once(lane, *offer, "downloading the offered update");
  // Until a response has said how large the bundle is, ask for one byte:
  // the room it needs is known before any chunk is written.
  auto& memo = lane.memo();
  const int64_t chunk = memo.update_sized == offer->sha256 ? lane.settings().update_chunk_bytes : 1;
  auto step = download.step(*http, path, chunk, [&] { lane.progressed(); });
  if (!step) {
    if (is_transport(step.error())) return lane.transport_failed(step.error());
    // Ours: a hash or range that does not match, the disk.
    log::error("sync", "update download failed", {{"version", offer->version}, {"error", step.error().message}});
    return retry_later(lane, *offer);
  }
  lane.reached();
  if (step->total >= 0) memo.update_sized = offer->sha256;
  if (step->kind == DownloadStep::Kind::answered) {
    // 404: the central no longer serves it; the next heartbeat says whether
    // the offer stands.
    if (step->answer.status == 404) {
      say_once(lane, *offer, "the central does not serve the offered update (404)", true);
      return lane.settings().heartbeat_interval;
    }
    const Judgement j = judge(step->answer);
    if (j.verdict == Verdict::pause_lane) return lane.pause_for(step->answer);
    log::warn("sync", "update download refused", {{"status", step->answer.status}, {"reason", j.reason}});
    // A server error passes, as a cut link does; only a refusal of this
    // download counts towards giving up.
    if (j.verdict == Verdict::retry_record) return lane.record_backoff(4);
    return retry_later(lane, *offer);
  }
  if (!room_for(lane, *offer, *step)) {
    download.remove_all();
    return kIdle;
  }
  if (step->kind == DownloadStep::Kind::progressed) return Millis(0);
  log::info("sync", "update downloaded and its SHA-256 checked", {{"version", offer->version}, {"bytes", step->total}});
  return install(lane, *offer, download);
}

}  // namespace bianmin::sync
