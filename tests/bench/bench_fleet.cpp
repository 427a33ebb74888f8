// Benchmarks of an idle fleet against the reference central (issue 13):
//
//   bench_fleet load [T] [S]   what the reference central sustains of
//                              heartbeats and status polls (2 : 1) on this
//                              machine, requests/s and p50/p99 latency, over
//                              S (10) seconds per run: on kept-alive
//                              connections, and on a new TLS connection per
//                              request (an idle terminal's calls are minutes
//                              apart, long after the central's 5 s keep-alive);
//                              then T (10000) terminals' idle schedule (health
//                              probe, heartbeat, status poll, catalogue check
//                              at syncd's intervals, random phases), open
//                              loop, each call on a new connection, latency
//                              from the moment it was due — with the previous
//                              schedule and with syncd's production defaults.
//   bench_fleet idle [S]       requests that real idle `bianmin syncd`s make
//                              in S (600) seconds after they settled, scaled
//                              to an hour: one with the previous schedule and
//                              one with the defaults, side by side.
//
// Loopback only; every loop is bounded by its time.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "central/central.h"
#include "client/enrolment.h"
#include "client/http_client.h"
#include "client/settings.h"
#include "config/config.h"
#include "forked_central.h"
#include "sync/support/sync_fixture.h"

namespace bianmin::testing::sync {
namespace {

namespace bsync = bianmin::sync;
using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

// The previous idle schedule (before issue 13): a health probe every 30 s.
const std::vector<std::string> kPreviousSchedule = {"sync.probe_online_ms=30000", "sync.online_jitter_ms=2000"};

struct Identity {
  bsync::TlsTrust trust;
  std::vector<std::string> client_ids;
};

enum class Call { health, heartbeat, status, catalog };

bsync::HttpRequest request_for(Call call, const Identity& who, std::string* body) {
  switch (call) {
    case Call::health: return {"GET", "/api/v1/health", {}, {}};
    case Call::catalog: return {"GET", "/api/v1/catalog", {{"If-None-Match", "\"bench-1\""}}, {}};
    case Call::status:
      *body = json{{"client_ids", who.client_ids}}.dump();
      return {"POST", "/api/v1/applications/status", {{"Content-Type", "application/json"}}, *body};
    case Call::heartbeat: break;
  }
  // What heartbeat_step sends (lanes.cpp), an idle terminal's values.
  *body = json{{"at", "2026-12-06T09:30:00+08:00"}, {"firmware_version", "0.1.0"},
               {"queue", {{"pending", 0}, {"quarantined", 0}}},
               {"devices", {{"id_reader", "ok"}, {"printer", "ok"}, {"camera", "ok"}, {"scanner", "ok"}}},
               {"catalog_version", "bench-1"}, {"audit", {{"head_seq", 42}, {"accepted_through", 42}, {"break", nullptr}}}}
              .dump();
  return {"POST", "/api/v1/heartbeat", {{"Content-Type", "application/json"}}, *body};
}

struct Latencies {
  std::mutex mu;
  std::vector<double> ms;
  int64_t failed = 0;
  void add(const std::vector<double>& more, int64_t fails) {
    std::lock_guard<std::mutex> lock(mu);
    ms.insert(ms.end(), more.begin(), more.end());
    failed += fails;
  }
  double pct(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ms.size())))];
  }
};

bool answered(const Result<bsync::HttpResponse>& r) { return r && r->status >= 200 && r->status < 400; }

// Closed loop: `workers` clients, each sending its next call as soon as the
// last one was answered, heartbeats and status polls 2 : 1.
void capacity(const std::string& url, const std::vector<Identity>& ids, double seconds, bool fresh_connections) {
  Latencies lat;
  const auto end = Clock::now() + Seconds(seconds);
  std::vector<std::thread> workers;
  for (std::size_t w = 0; w < ids.size(); ++w)
    workers.emplace_back([&, w] {
      std::vector<double> mine;
      int64_t fails = 0;
      auto kept = std::make_unique<bsync::HttpClient>(url, ids[w].trust, bsync::HttpTimeouts{});
      for (int k = 0; Clock::now() < end; ++k) {
        std::unique_ptr<bsync::HttpClient> fresh;
        if (fresh_connections) fresh = std::make_unique<bsync::HttpClient>(url, ids[w].trust, bsync::HttpTimeouts{});
        std::string body;
        const auto req = request_for(k % 3 == 2 ? Call::status : Call::heartbeat, ids[w], &body);
        const auto t0 = Clock::now();
        const auto r = (fresh ? *fresh : *kept).send(req);
        if (answered(r)) mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        else ++fails;
      }
      lat.add(mine, fails);
    });
  for (auto& t : workers) t.join();
  const auto n = static_cast<double>(lat.ms.size());
  std::printf("central capacity, %zu clients, %s: %.0f requests/s (heartbeat : status 2 : 1), p50 %.1f ms, "
              "p99 %.1f ms, %lld failed\n",
              ids.size(), fresh_connections ? "a new TLS connection per request" : "kept-alive connections",
              n / seconds, lat.pct(0.50), lat.pct(0.99), static_cast<long long>(lat.failed));
  std::fflush(stdout);
}

// Open loop: T terminals' calls at their due times over `seconds`, each on a
// new connection; returns after printing rate and latency.
void fleet_schedule(const std::string& url, const std::vector<Identity>& ids, int terminals, double seconds,
                    const bsync::SyncSettings& s, const char* label) {
  struct Due {
    double at;
    Call call;
    int terminal;
  };
  std::vector<Due> due;
  std::mt19937_64 rng(7);
  const std::pair<Call, bsync::Millis> schedule[] = {{Call::health, s.probe_online},
                                                     {Call::heartbeat, s.heartbeat_interval},
                                                     {Call::status, s.status_interval},
                                                     {Call::catalog, s.catalog_interval}};
  double per_hour = 0;
  for (const auto& [call, every] : schedule) {
    const double period = std::chrono::duration<double>(every).count();
    per_hour += 3600.0 / period;
    for (int t = 0; t < terminals; ++t)
      for (double at = std::uniform_real_distribution<double>(0, period)(rng); at < seconds; at += period)
        due.push_back({at, call, t});
  }
  std::sort(due.begin(), due.end(), [](const Due& a, const Due& b) { return a.at < b.at; });
  Latencies lat;
  std::atomic<std::size_t> next{0};
  const auto start = Clock::now() + 200ms;
  std::vector<std::thread> workers;
  for (int w = 0; w < 64; ++w)
    workers.emplace_back([&] {
      std::vector<double> mine;
      int64_t fails = 0;
      for (std::size_t i; (i = next++) < due.size();) {
        const auto when = start + std::chrono::duration_cast<Clock::duration>(Seconds(due[i].at));
        std::this_thread::sleep_until(when);
        const Identity& who = ids[static_cast<std::size_t>(due[i].terminal) % ids.size()];
        bsync::HttpClient http(url, who.trust, {});
        std::string body;
        const auto r = http.send(request_for(due[i].call, who, &body));
        // From when it was due: a central that falls behind shows here.
        if (answered(r)) mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - when).count());
        else ++fails;
      }
      lat.add(mine, fails);
    });
  for (auto& t : workers) t.join();
  const double took = Seconds(Clock::now() - start).count();
  std::printf("%d terminals idle, %s: %.0f requests/hour/terminal; %zu due in %.0f s = %.0f/s offered, "
              "served in %.1f s; p50 %.1f ms, p99 %.1f ms from due; %lld failed\n",
              terminals, label, per_hour, due.size(), seconds, static_cast<double>(due.size()) / seconds, took,
              lat.pct(0.50), lat.pct(0.99), static_cast<long long>(lat.failed));
  std::fflush(stdout);
}

int load(int terminals, double seconds) {
  struct rlimit rl {};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
  TempDir tmp;
  central::CentralOptions o;
  o.data_dir = tmp.file("central");
  o.threads = 256;
  o.max_connections_per_peer = 0;  // every simulated terminal is 127.0.0.1
  json catalog = json::parse(read_file(fixture("mini-catalog.json")));
  catalog["version"] = "bench-1";
  ForkedCentral c(o, catalog.dump());
  // 32 enrolled identities, each with five applications at the central
  // whose progress the status polls ask for.
  std::vector<Identity> ids;
  for (int i = 0; i < 32; ++i) {
    TerminalDir t(tmp.file("t" + std::to_string(i)));
    auto store = t.open_store();
    char tid[32];
    std::snprintf(tid, sizeof tid, "620702-001-K%02d", i);
    bsync::EnrolRequest req{c.url(), c.enrollment_code(tid), "", c.ca_pem(), "bench", "m", "0.1.0", {}};
    auto e = bsync::enrol(*store, req);
    if (!e) {
      std::fprintf(stderr, "enrol failed: %s\n", e.error().message.c_str());
      return 2;
    }
    Identity id{bsync::trust_of(*e), {}};
    bsync::HttpClient http(c.url(), id.trust, {});
    for (int a = 0; a < 5; ++a) {
      char cid[64];
      std::snprintf(cid, sizeof cid, "0193f1c2-%04x-7000-8000-%012x", static_cast<unsigned>(i), static_cast<unsigned>(a));
      const json body = {{"client_id", cid}, {"receipt_no", std::string(tid) + "-" + std::to_string(a)},
                         {"item_code", "T-QR-0001"}, {"channel", "kiosk"}, {"submitted_at", "2026-12-06T09:31:05+08:00"},
                         {"applicant", {{"name", "张三"}, {"id_type", "resident"}, {"id_number", "620702199003071232"}}},
                         {"form", json::object()}, {"materials", json::array()}};
      (void)http.send({"POST", "/api/v1/applications", {{"Content-Type", "application/json"}, {"Idempotency-Key", cid}},
                       body.dump()});
      id.client_ids.push_back(cid);
    }
    ids.push_back(std::move(id));
  }
  capacity(c.url(), ids, seconds, false);
  capacity(c.url(), ids, seconds, true);
  config::Config previous;
  for (const auto& set : kPreviousSchedule) (void)previous.set_override(set);
  fleet_schedule(c.url(), ids, terminals, seconds, bsync::SyncSettings::from(previous), "previous schedule");
  fleet_schedule(c.url(), ids, terminals, seconds, bsync::SyncSettings::from(config::Config()), "syncd's defaults");
  return 0;
}

// One real `bianmin syncd`, enrolled with its own in-process central, one
// application delivered (so the status lane has an open case to poll).
struct IdleTerminal {
  TempDir tmp;
  std::unique_ptr<central::Central> central;
  std::thread server;
  std::unique_ptr<TerminalDir> terminal;
  std::unique_ptr<Child> syncd;

  explicit IdleTerminal(const std::vector<std::string>& sets) {
    central::CentralOptions o;
    o.data_dir = tmp.file("central");
    central = std::move(central::Central::open(o)).value();
    (void)central->publish_catalog(read_file(fixture("mini-catalog.json")));
    const int port = *central->bind("127.0.0.1", 0);
    server = std::thread([this] { central->serve(); });
    const std::string url = "https://127.0.0.1:" + std::to_string(port);
    terminal = std::make_unique<TerminalDir>(tmp.file("terminal"));
    terminal->sets = sets;
    terminal->sets.push_back("log.level=warn");
    auto code = central->add_enrollment_code("620702-001-K03", "620702", "大厅", "", 1);
    auto r = terminal->bm({"enroll", "--central", url, "--code", *code, "--ca-fingerprint", central->ca_fingerprint()});
    if (r.exit_code != 0) {
      std::fprintf(stderr, "enrol failed: %s\n", r.err.c_str());
      std::exit(2);
    }
    terminal->submit(1, 1, 2000, 4000);
    syncd = terminal->syncd(tmp.file("syncd.log"));
  }
  ~IdleTerminal() {
    syncd->stop(SIGTERM);
    central->stop();
    server.join();
  }
  int64_t requests() const { return central->metrics().requests.load(); }
};

int idle(double seconds) {
  IdleTerminal before(kPreviousSchedule), now({});
  // Settle: the application delivered, the first catalogue, heartbeat,
  // audit and status calls made.
  const auto settle = Clock::now() + 60s;
  while (Clock::now() < settle && (before.terminal->count("delivered") < 1 || now.terminal->count("delivered") < 1))
    std::this_thread::sleep_for(200ms);
  std::this_thread::sleep_for(15s);
  const int64_t b0 = before.requests(), n0 = now.requests();
  std::this_thread::sleep_for(Seconds(seconds));
  const int64_t b1 = before.requests(), n1 = now.requests();
  const double scale = 3600.0 / seconds;
  std::printf("idle syncd over %.0f s: previous schedule %lld requests = %.0f/hour; syncd's defaults %lld requests = "
              "%.0f/hour\n",
              seconds, static_cast<long long>(b1 - b0), static_cast<double>(b1 - b0) * scale,
              static_cast<long long>(n1 - n0), static_cast<double>(n1 - n0) * scale);
  return 0;
}

}  // namespace
}  // namespace bianmin::testing::sync

int main(int argc, char** argv) {
  ::setenv("TZ", "Asia/Shanghai", 1);
  const std::string mode = argc > 1 ? argv[1] : "";
  const double a = argc > 2 ? std::atof(argv[2]) : 0;
  const double b = argc > 3 ? std::atof(argv[3]) : 0;
  namespace f = bianmin::testing::sync;
  if (mode == "load") return f::load(a > 0 ? static_cast<int>(a) : 10000, b > 0 ? b : 10);
  if (mode == "idle") return f::idle(a > 0 ? a : 600);
  std::fprintf(stderr, "usage: bench_fleet load [TERMINALS] [SECONDS] | idle [SECONDS]\n");
  return 1;
}
