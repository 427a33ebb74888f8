// Exactly once, the hard way: 200 applications with 3 blobs each; the sync
// daemon is SIGKILLed at random moments 50 times while the proxy cuts
// connections at random byte counts. In the end the central holds exactly
// the 200, every blob hashes to its address, nothing arrived twice, and the
// bytes the terminal had to send again stay within one chunk per cut.
#include <gtest/gtest.h>

#include <set>

#include "central/fault_proxy.h"
#include "sync/support/sync_fixture.h"

namespace bianmin::testing::sync {
namespace {

constexpr int64_t kChunk = 16384;

TEST(Chaos, ExactlyOnceThroughKillsAndCuts) {
  TempDir tmp;
  CentralProcess central(tmp.file("central"));
  ASSERT_EQ(central.cli({"publish-catalog", fixture("mini-catalog.json")}).exit_code, 0);
  TerminalDir terminal(tmp.file("terminal"));
  terminal.sets = {"sync.online_jitter_ms=0",   "sync.backoff_base_ms=20",  "sync.backoff_cap_s=1",
                   "sync.probe_offline_ms=100", "sync.idle_poll_s=1",       "sync.catalog_interval_s=3600",
                   "sync.chunk_bytes=" + std::to_string(kChunk)};
  ASSERT_EQ(terminal.enroll(central).exit_code, 0);
  const auto ids = terminal.submit(200, 3, 12000, 40000, "T-QR-0001", 20261122);
  ASSERT_EQ(ids.size(), 200u);

  central::FaultProxy proxy("127.0.0.1", central.port());
  auto port = proxy.start("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  central::FaultPlan plan;
  plan.cut_random_max = 120000;  // cut a connection somewhere in its first 120 kB …
  plan.cut_probability = 0.5;    // … for every other connection
  proxy.set_plan(plan);
  terminal.sets.push_back("sync.central_url=https://127.0.0.1:" + std::to_string(*port));

  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  RecordProperty("seed", static_cast<int>(seed));
  int kills = 0;
  const std::string log = tmp.file("syncd.log");
  while (kills < 50) {
    auto syncd = terminal.syncd(log);
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(80, 500)(rng)));
    syncd->stop(SIGKILL);
    ++kills;
  }
  const int64_t cuts_while_killing = proxy.stats().cuts;
  auto syncd = terminal.syncd(log);
  ASSERT_TRUE(eventually([&] { return terminal.count("delivered") == 200; }, 150s))
      << "seed " << seed << "\n" << central.stats().dump();
  syncd->stop(SIGTERM);
  const central::ProxyStats net = proxy.stats();
  proxy.stop();

  const json stats = central.stats(true);
  EXPECT_EQ(stats["applications"], 200) << stats.dump();
  EXPECT_EQ(stats["distinct_receipts"], 200);
  EXPECT_EQ(stats["blobs_verified"], 600);
  EXPECT_EQ(stats["blobs_bad"], 0);
  std::set<std::string> at_central;
  for (const auto& a : central.applications()) at_central.insert(a["client_id"].get<std::string>());
  EXPECT_EQ(at_central, std::set<std::string>(ids.begin(), ids.end()));

  // Re-sent bytes: what the terminal put on the wire for blobs (counted
  // before each send, so a kill mid-chunk counts in full) minus the blobs'
  // size. Each cut or kill can cost at most the one chunk in flight.
  const int64_t total = stats["blob_bytes_complete"];
  const int64_t attempted = terminal.status()["counters"]["blob_bytes_attempted"];
  const int64_t resent = attempted - total;
  const int64_t events = net.cuts + kills;
  std::printf("chaos: seed %u, %d kills, %lld cuts (%lld while killing), %lld blob bytes, %lld re-sent "
              "(%.2f chunks per cut or kill, bound 1)\n",
              seed, kills, static_cast<long long>(net.cuts), static_cast<long long>(cuts_while_killing),
              static_cast<long long>(total), static_cast<long long>(resent),
              static_cast<double>(resent) / static_cast<double>(kChunk * std::max<int64_t>(1, events)));
  EXPECT_GE(resent, 0);
  EXPECT_LE(resent, events * kChunk) << "seed " << seed;
  EXPECT_GT(net.cuts, 10);  // the network really was bad
}

}  // namespace
}  // namespace bianmin::testing::sync
