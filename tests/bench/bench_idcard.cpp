// ID-card reader: time from a card being placed to its decoded result,
// through the simulator on a real pty, against the wire time of the same
// bytes on a 115200 bit/s UART (10 bits per byte, 8N1) — the physical limit
// of a serial reader, before its RF read and SAM crypto.
//
// A pty does not enforce a baud rate: it moves bytes at memory speed. So
// each case runs twice: "pty" (as fast as the pty goes: our own overhead)
// and "paced" (the simulator sends replies at 115200 bit/s, like a UART).
//
//   ninja -C build bench_idcard && build/tests/bench/bench_idcard 2>/dev/null
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <random>
#include <thread>
#include <string>

#include "idcard/reader_service.h"
#include "idcard/sam_reader.h"
#include "idcard/serial_transport.h"
#include "idcard/sim_pty.h"
#include "support/testing.h"

namespace {

using namespace bianmin::drivers::idcard;
using Clock = std::chrono::steady_clock;
constexpr int kBaud = 115200;

const char* kCards[] = {"resident", "foreign-2023", "gat"};

std::string card_path(int i) {
  return bianmin::testing::source_path(std::string("assets/sim/idcard-") + kCards[i] + ".json");
}

void ctl(SimPty& sim, const std::string& line) {
  if (!sim.control(line)) std::abort();
}

// find → select → read base info → appended address → decoded card, as
// `bianmin idcard read` and the reader service do once a card is there.
void BM_ReadCard(benchmark::State& state) {
  const int card = static_cast<int>(state.range(0));
  const bool paced = state.range(1) != 0;
  auto sim = SimPty::open().value();
  sim->start();
  ctl(*sim, "place " + card_path(card));
  if (paced) ctl(*sim, "pace " + std::to_string(kBaud));
  SerialTransport t(sim->path(), kBaud);
  if (!t.open()) std::abort();
  SamReader reader(t);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto before = reader.stats();
    const auto t0 = Clock::now();
    auto found = reader.find_card();
    auto c = reader.read_card();
    const auto t1 = Clock::now();
    if (!found || !*found || !c) {
      state.SkipWithError("read failed");
      break;
    }
    benchmark::DoNotOptimize(c->name);
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    bytes = reader.stats().bytes_sent + reader.stats().bytes_received - before.bytes_sent - before.bytes_received;
  }
  state.SetLabel(std::string(kCards[card]) + (paced ? " paced@115200" : " pty"));
  state.counters["wire_bytes"] = static_cast<double>(bytes);
  state.counters["wire_ms@115200"] = static_cast<double>(bytes) * 10 * 1000 / kBaud;
}
BENCHMARK(BM_ReadCard)
    ->ArgsProduct({{0, 1, 2}, {0, 1}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(30)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

// Placed → card_read event out of the reader service's queue, at a given
// find-card poll interval. Cards are placed at a random phase of the polling
// (after the service has settled), so the wait for the next poll averages
// half the interval, as it does for a resident.
void BM_PlacedToEvent(benchmark::State& state) {
  const auto interval = Millis(state.range(0));
  const bool paced = state.range(1) != 0;
  bianmin::testing::TempDir dir;
  SimPtyOptions so;
  so.link = dir.file("idcard");
  auto sim = SimPty::open(so).value();
  sim->start();
  ctl(*sim, "load " + card_path(0));
  if (paced) ctl(*sim, "pace " + std::to_string(kBaud));
  bianmin::domain::IdCardEventQueue events;
  ReaderServiceOptions o;
  o.poll_interval = interval;
  o.presence_interval = Millis(50);
  ReaderService svc(std::make_unique<SerialTransport>(so.link, kBaud), events, o);
  svc.start();
  if (!events.wait(std::chrono::seconds(5))) std::abort();  // reader_present
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> phase(0, static_cast<int>(interval.count()));
  for (auto _ : state) {
    std::this_thread::sleep_for(o.presence_interval + Millis(phase(rng)));  // not timed: manual time
    const auto t0 = Clock::now();
    ctl(*sim, "place");
    std::optional<bianmin::domain::IdCardEvent> e;
    while ((e = events.wait(std::chrono::seconds(5))) && e->kind != bianmin::domain::IdCardEventKind::card_read) {
    }
    const auto t1 = Clock::now();
    if (!e) {
      state.SkipWithError("no card_read event");
      break;
    }
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    ctl(*sim, "remove");
    while ((e = events.wait(std::chrono::seconds(5))) && e->kind != bianmin::domain::IdCardEventKind::card_removed) {
    }
  }
  svc.stop();
  state.SetLabel(std::string("poll ") + std::to_string(interval.count()) + " ms" + (paced ? " paced@115200" : " pty"));
}
BENCHMARK(BM_PlacedToEvent)
    ->ArgsProduct({{20, 300}, {0, 1}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
