// Benchmarks of offline delivery (issue 6), each printing one result line:
//
//   bench_sync drain [N]      N (10000) applications queued while the network
//                             is down drain after it returns; the real
//                             `bianmin syncd`'s RSS is sampled throughout
//                             (peak = VmHWM) to show it stays flat.
//   bench_sync goodput [MB]   a queue of MB (30) megabytes of blobs drains
//                             through the fault proxy limited to 10 Mbit/s;
//                             goodput = (payload bytes at 10 Mbit/s) / the time
//                             the link was in use (and / the time from syncd's start).
//   bench_sync stampede [T] [P]  T (1000) simulated terminals come back at once
//                             after an outage; request rate at the central,
//                             peak over mean in 1 s buckets (and in 100 ms
//                             ones), how long the return took and how many
//                             requests were turned away — with syncd's
//                             own policy code (client/return_policy.h) and,
//                             for comparison, the previous policy and none.
//                             The central runs in a child process. P (one of
//                             syncd, previous, none) runs that policy only.
//   bench_sync stampede T P C  the central stated to serve C (400) requests
//                             a second, for its advised return window (0:
//                             none stated, so none advised).
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <optional>
#include <utility>

#include "central/central.h"
#include "central/fault_proxy.h"
#include "client/enrolment.h"
#include "client/http_client.h"
#include "client/return_policy.h"
#include "client/settings.h"
#include "config/config.h"
#include "common/wire.h"
#include "outbox/application_store.h"
#include "forked_central.h"
#include "sync/support/sync_fixture.h"

namespace bianmin::testing::sync {
namespace {

namespace bsync = bianmin::sync;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int64_t proc_kb(pid_t pid, const char* field) {
  const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  const auto at = status.find(field);
  return at == std::string::npos ? 0 : std::atoll(status.c_str() + at + std::strlen(field) + 1);
}

struct Setup {
  TempDir tmp;
  std::unique_ptr<CentralProcess> central;
  std::unique_ptr<TerminalDir> terminal;
  std::unique_ptr<central::FaultProxy> proxy;

  explicit Setup(std::vector<std::string> sets) {
    central = std::make_unique<CentralProcess>(tmp.file("central"));
    central->cli({"publish-catalog", fixture("mini-catalog.json")});
    terminal = std::make_unique<TerminalDir>(tmp.file("terminal"));
    terminal->sets = std::move(sets);
    auto r = terminal->enroll(*central);
    if (r.exit_code != 0) {
      std::fprintf(stderr, "enrol failed: %s\n", r.err.c_str());
      std::exit(2);
    }
    proxy = std::make_unique<central::FaultProxy>("127.0.0.1", central->port());
    const int port = *proxy->start("127.0.0.1", 0);
    terminal->sets.push_back("sync.central_url=https://127.0.0.1:" + std::to_string(port));
    terminal->sets.push_back("log.level=warn");
  }
};

int drain(int n) {
  Setup s({"sync.catalog_interval_s=3600"});
  std::printf("queueing %d applications (1 blob of 2–4 kB each)…\n", n);
  s.terminal->submit(n, 1, 2000, 4000);
  central::FaultPlan down;
  down.down = true;
  s.proxy->set_plan(down);
  auto syncd = s.terminal->syncd(s.tmp.file("syncd.log"));
  std::this_thread::sleep_for(3s);
  const int64_t rss_offline = proc_kb(syncd->pid(), "VmRSS:");
  s.proxy->set_plan({});
  const auto t0 = Clock::now();
  std::vector<std::pair<int64_t, int64_t>> samples;  // delivered, RSS kB
  int64_t delivered = 0;
  while (delivered < n && seconds_since(t0) < 3600) {
    std::this_thread::sleep_for(1s);
    delivered = s.terminal->count("delivered");
    samples.push_back({delivered, proc_kb(syncd->pid(), "VmRSS:")});
  }
  const double secs = seconds_since(t0);
  const int64_t hwm = proc_kb(syncd->pid(), "VmHWM:");
  syncd->stop(SIGTERM);
  std::printf("RSS while draining (kB) at 10%%…100%% of the queue:");
  for (int pct = 10; pct <= 100; pct += 10) {
    for (const auto& [d, rss] : samples)
      if (d * 100 >= int64_t{pct} * n) {
        std::printf(" %lld", static_cast<long long>(rss));
        break;
      }
  }
  std::printf("\ndrain: %lld/%d delivered in %.1f s (%.0f/s); syncd RSS offline %lld kB, peak (VmHWM) %lld kB\n",
              static_cast<long long>(delivered), n, secs, static_cast<double>(delivered) / secs,
              static_cast<long long>(rss_offline), static_cast<long long>(hwm));
  return delivered == n ? 0 : 1;
}

int goodput(int megabytes) {
  constexpr int64_t kRate = 10'000'000 / 8;  // 10 Mbit/s
  // No return jitter: it spreads a fleet (the stampede's subject), and a
  // terminal that waits before using its link measures its wait, not the link.
  Setup s({"sync.catalog_interval_s=3600", "sync.chunk_bytes=1048576", "sync.online_jitter_ms=0"});
  const int apps = std::max(1, megabytes * 1000 / 600);  // 3 blobs of ~200 kB each
  s.terminal->submit(apps, 3, 150000, 250000);
  int64_t payload = 0;
  {
    auto st = s.terminal->open_store();
    auto q = st->db().prepare("SELECT SUM(bytes) FROM blobs");
    (void)q->step();
    payload = q->integer(0);
    outbox::ApplicationStore a(*st);
    auto list = a.list({std::string("queued"), 100000});
    for (const auto& rec : *list) payload += static_cast<int64_t>(a.request_body(rec.client_id)->size());
  }
  central::FaultPlan plan;
  plan.rate_bytes_per_s = kRate;
  s.proxy->set_plan(plan);
  auto syncd = s.terminal->syncd(s.tmp.file("syncd.log"));
  const auto t0 = Clock::now();
  while (s.terminal->count("delivered") < apps && seconds_since(t0) < 3600) std::this_thread::sleep_for(100ms);
  const double wall = seconds_since(t0);
  syncd->stop(SIGTERM);
  const double ideal = static_cast<double>(payload) / kRate;
  const auto net = s.proxy->stats();
  // The link's own figure: from the first byte the proxy forwarded to the
  // last (the answer to the last POST). The wall figure adds what is not the
  // link's: the daemon's start, its first probe, the lanes' return jitter
  // (sync.online_jitter_ms) and this loop's 100 ms polling of the store.
  const double link = std::chrono::duration<double>(net.last_byte_at - net.first_byte_at).count();
  std::printf("goodput: %d applications, %.1f MB payload through 10 Mbit/s; ideal %.1f s\n"
              "  link busy (first to last byte at the proxy) %.1f s: ratio %.3f\n"
              "  from syncd's start to the last delivery seen %.1f s: ratio %.3f\n"
              "  wire bytes up %.2f MB (TLS, HTTP and probes included), down %.2f MB, %lld connections\n",
              apps, static_cast<double>(payload) / 1e6, ideal, link, ideal / link, wall, ideal / wall,
              static_cast<double>(net.bytes_up) / 1e6, static_cast<double>(net.bytes_down) / 1e6,
              static_cast<long long>(net.connections));
  return 0;
}

// How the simulated fleet comes back. `syncd` is the daemon's own code
// (client/return_policy.h with the production defaults of the `sync.*`
// settings); the other two are for comparison: the policy syncd had before
// issue 13 (a fixed probe interval, a uniform return wait of up to 2 s,
// Retry-After plus up to 1 s) and none at all (every terminal in step).
enum class Policy { syncd, previous, none };

const char* policy_name(Policy p) {
  switch (p) {
    case Policy::syncd: return "syncd policy";
    case Policy::previous: return "previous policy, for comparison";
    case Policy::none: return "no jitter, for comparison";
  }
  return "?";
}

// One simulated terminal through the outage and back: its probe (a health
// call; the probes that fall inside the outage reach nothing and are not
// sent), then three applications as its upload lane sends them. With
// syncd's policy the probe spreads over the return window the central
// advised before the outage (`fleet_window`, as syncd's probe lane keeps
// it) and honours a busy health answer's Retry-After, as probe_step does.
void terminal_returns(int index, Policy policy, const bsync::SyncSettings& settings, const std::string& url,
                      const bsync::TlsTrust& trust, int apps, Clock::time_point outage_starts,
                      Clock::time_point outage_ends, Clock::time_point give_up, std::atomic<int>* delivered,
                      std::atomic<int64_t>* last_delivery_ms, bsync::Millis fleet_window) {
  auto rng = bsync::seeded_rng();
  const bsync::Millis previous_jitter(2000);
  bsync::HttpClient http(url, trust, {});
  auto next_probe = outage_starts;
  if (policy == Policy::previous) next_probe += bsync::uniform_delay(settings.probe_offline, rng);  // its random phase
  bool just_lost = true;  // at outage_starts
  auto probe_delay = [&] {
    const bool first = std::exchange(just_lost, false);
    return policy == Policy::syncd ? bsync::offline_probe_delay(settings, rng, fleet_window, first)
                                   : settings.probe_offline;
  };
  for (;;) {
    while (next_probe < outage_ends) next_probe += probe_delay();
    std::this_thread::sleep_until(next_probe);
    if (Clock::now() > give_up) return;
    auto r = http.send({"GET", "/api/v1/health", {}, {}});
    if (r && r->status == 200) break;
    bsync::Millis busy(0);
    if (policy == Policy::syncd && r && (r->status == 503 || r->status == 429))
      if (auto ra = bsync::wire::parse_retry_after(r->header("retry-after"), std::chrono::system_clock::now()))
        busy = bsync::busy_delay(std::chrono::duration_cast<bsync::Millis>(*ra), 1, settings, rng);
    next_probe = std::max(next_probe + probe_delay(), Clock::now() + busy);
  }
  if (policy == Policy::syncd) std::this_thread::sleep_for(bsync::return_delay(settings, rng));
  if (policy == Policy::previous) std::this_thread::sleep_for(bsync::uniform_delay(previous_jitter, rng));
  int64_t failures = 0;
  for (int i = 0; i < apps && Clock::now() < give_up;) {
    char id[64];
    std::snprintf(id, sizeof id, "0193f1c2-%04x-7000-8000-%012x", static_cast<unsigned>(index), static_cast<unsigned>(i));
    const nlohmann::json body = {
        {"client_id", id}, {"receipt_no", "K" + std::to_string(index) + "-" + std::to_string(i)},
        {"item_code", "T-QR-0001"}, {"channel", "kiosk"}, {"submitted_at", "2026-11-22T09:31:05+08:00"},
        {"applicant", {{"name", "张三"}, {"id_type", "resident"}, {"id_number", "620702199003071232"}}},
        {"form", nlohmann::json::object()}, {"materials", nlohmann::json::array()}};
    auto r = http.send({"POST", "/api/v1/applications", {{"Content-Type", "application/json"}, {"Idempotency-Key", id}},
                        body.dump()});
    if (r && (r->status == 201 || r->status == 200)) {
      ++i;
      failures = 0;
      ++*delivered;
      const int64_t at = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - outage_ends).count();
      for (int64_t seen = last_delivery_ms->load(); at > seen && !last_delivery_ms->compare_exchange_weak(seen, at);) {
      }
      continue;
    }
    ++failures;
    std::optional<bsync::Millis> ra;
    if (r && (r->status == 503 || r->status == 429))
      if (auto got = bsync::wire::parse_retry_after(r->header("retry-after"), std::chrono::system_clock::now()))
        ra = std::chrono::duration_cast<bsync::Millis>(*got);
    bsync::Millis wait(0);
    switch (policy) {
      case Policy::syncd:  // Lane::pause_for and Lane::transport_failed
        wait = r && (r->status == 503 || r->status == 429)
                   ? bsync::busy_delay(ra, failures, settings, rng)
                   : bsync::full_jitter(failures - 1, settings.backoff_base, settings.backoff_cap, rng);
        break;
      case Policy::previous:
        wait = ra ? *ra + bsync::uniform_delay(settings.backoff_base, rng)
                  : bsync::full_jitter(failures - 1, settings.backoff_base, settings.backoff_cap, rng);
        break;
      case Policy::none:
        wait = ra ? *ra : settings.backoff_base;
        break;
    }
    std::this_thread::sleep_for(wait);
  }
}

struct Rates {
  double peak_per_s = 0, peak_per_100ms = 0, mean_per_s = 0, seconds = 0, returned_in = 0;
  int64_t requests = 0, rejected = 0;
  int delivered = 0;
};

Rates stampede_once(int terminals, Policy policy, int capacity_per_s) {
  TempDir tmp;
  central::CentralOptions o;
  o.data_dir = tmp.file("central");
  o.max_inflight = 64;  // a central with finite capacity: beyond it, 503 + Retry-After
  o.retry_after_s = 2;
  // The return window the central advises (health's return_window_s): the
  // simulated fleet shares one enrolled identity, so its size is stated, as
  // an operator would, and so is the capacity: this machine's central
  // serves some 300–400 requests a second under a stampede (TLS handshakes
  // on 2 shared cores), more when requests arrive evenly.
  o.fleet_size = terminals;
  o.capacity_per_s = capacity_per_s;
  o.threads = terminals + 16;  // one per connection, as cpp-httplib serves them
  o.max_connections_per_peer = 0;  // the whole simulated fleet shares 127.0.0.1
  ForkedCentral c(o, read_file(fixture("mini-catalog.json")));
  // One enrolled identity shared by the simulated fleet.
  TerminalDir t(tmp.file("t"));
  auto store = t.open_store();
  bsync::EnrolRequest req{c.url(), c.enrollment_code("620702-001-K01"), "", c.ca_pem(), "bench", "m", "0.1.0", {}};
  auto e = bsync::enrol(*store, req);
  if (!e) {
    std::fprintf(stderr, "enrol failed: %s\n", e.error().message.c_str());
    std::exit(2);
  }
  const bsync::TlsTrust trust = bsync::trust_of(*e);
  const bsync::SyncSettings settings = bsync::SyncSettings::from(config::Config());  // production defaults
  // Before the outage: the window the central advises, as syncd's probe
  // lane learns it from its health answer (the same for every terminal).
  bsync::Millis fleet_window(0);
  {
    bsync::HttpClient http(c.url(), trust, {});
    if (auto r = http.send({"GET", "/api/v1/health", {}, {}}); r && r->status == 200)
      if (auto h = bsync::wire::parse_health(r->body)) fleet_window = bsync::Millis(h->return_window_s * 1000);
  }
  if (policy == Policy::syncd) std::printf("  return window advised by the central: %lld s\n",
                                           static_cast<long long>(fleet_window.count() / 1000));
  c.mark();
  std::atomic<int> delivered{0};
  std::atomic<int64_t> last_delivery_ms{0};
  // The network went away a minute ago and comes back in 3 s.
  const auto outage_ends = Clock::now() + 3s;
  const auto outage_starts = outage_ends - 60s;
  const auto give_up = outage_ends + 300s;
  std::vector<std::thread> fleet;
  for (int i = 0; i < terminals; ++i)
    fleet.emplace_back(terminal_returns, i, policy, std::cref(settings), c.url(), std::cref(trust), 3, outage_starts,
                       outage_ends, give_up, &delivered, &last_delivery_ms, fleet_window);
  for (auto& f : fleet) f.join();
  const auto report = c.report();
  const auto& arrivals = report.arrivals;
  auto first = std::find_if(arrivals.begin(), arrivals.end(), [](uint32_t n) { return n > 0; });
  auto last = std::find_if(arrivals.rbegin(), arrivals.rend(), [](uint32_t n) { return n > 0; }).base();
  Rates r;
  r.delivered = delivered.load();
  r.returned_in = static_cast<double>(last_delivery_ms.load()) / 1000.0;
  if (first >= last) return r;
  r.requests = std::accumulate(first, last, int64_t{0});
  r.seconds = static_cast<double>(last - first) / 10.0;
  r.mean_per_s = static_cast<double>(r.requests) / r.seconds;
  r.peak_per_100ms = *std::max_element(first, last) * 10.0;
  r.rejected = report.rejected_busy;
  // Whole seconds from the first arrival (a last partial second only lowers
  // its own count, never the peak).
  std::printf("  requests per 1 s:");
  for (auto it = first; it < last; it += std::min<std::ptrdiff_t>(10, last - it)) {
    const auto n = std::accumulate(it, it + std::min<std::ptrdiff_t>(10, last - it), int64_t{0});
    r.peak_per_s = std::max(r.peak_per_s, static_cast<double>(n));
    std::printf(" %lld", static_cast<long long>(n));
  }
  std::printf("\n");
  return r;
}

int stampede(int terminals, const std::string& only, int capacity_per_s) {
  struct rlimit rl {};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
  for (Policy policy : {Policy::syncd, Policy::previous, Policy::none}) {
    if (!only.empty() && only != "syncd" && policy == Policy::syncd) continue;
    if (!only.empty() && only != "previous" && policy == Policy::previous) continue;
    if (!only.empty() && only != "none" && policy == Policy::none) continue;
    const Rates r = stampede_once(terminals, policy, capacity_per_s);
    // The headline is the rate per second: over 100 ms buckets even evenly
    // random (Poisson) arrivals at a few hundred a second peak near 1.45
    // times their mean; that figure is printed too.
    std::printf("stampede (%s): %d terminals × 3 applications, %d delivered, the last %.1f s after the outage; "
                "%lld requests over %.1f s, mean %.0f/s; per 1 s: peak %.0f/s, peak/mean %.2f; "
                "per 100 ms: peak %.0f/s, peak/mean %.2f; %lld answered 503\n",
                policy_name(policy), terminals, r.delivered, r.returned_in, static_cast<long long>(r.requests),
                r.seconds, r.mean_per_s, r.peak_per_s, r.mean_per_s > 0 ? r.peak_per_s / r.mean_per_s : 0.0,
                r.peak_per_100ms, r.mean_per_s > 0 ? r.peak_per_100ms / r.mean_per_s : 0.0,
                static_cast<long long>(r.rejected));
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace bianmin::testing::sync

int main(int argc, char** argv) {
  ::setenv("TZ", "Asia/Shanghai", 1);
  const std::string mode = argc > 1 ? argv[1] : "";
  const int arg = argc > 2 ? std::atoi(argv[2]) : 0;
  namespace b = bianmin::testing::sync;
  if (mode == "drain") return b::drain(arg > 0 ? arg : 10000);
  if (mode == "goodput") return b::goodput(arg > 0 ? arg : 30);
  if (mode == "stampede")
    return b::stampede(arg > 0 ? arg : 1000, argc > 3 && std::string(argv[3]) != "all" ? argv[3] : "",
                       argc > 4 ? std::max(0, std::atoi(argv[4])) : 400);
  std::fprintf(stderr, "usage: bench_sync drain [N] | goodput [MB] | stampede [TERMINALS [syncd|previous|none|all [CAPACITY_PER_S]]]\n");
  return 1;
}
