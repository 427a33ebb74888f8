// Durable submits per second: validation, two sealed blobs written
// temp → fsync → rename → fsync(dir), and the application committed with
// synchronous=FULL. Bound by the storage's fsync latency, so run it on the
// device's own storage to get the device's number.
#include <benchmark/benchmark.h>

#include <random>

#include "base/log.h"
#include "catalog/catalog_store.h"
#include "outbox/submit.h"
#include "store/store.h"
#include "support/testing.h"

namespace {

using namespace bianmin;

void BM_DurableSubmit(benchmark::State& state) {
  log::set_level(log::Level::warn);
  testing::TempDir dir;
  store::StoreOptions o;
  o.data_dir = dir.path() + "/data";
  o.key_file = o.data_dir + "/device.key";
  o.min_free_mb = 0;
  auto s = store::Store::open(o);
  if (!s.ok()) std::abort();
  catalog::CatalogStore cs((*s)->db());
  if (!cs.import(testing::read_file(testing::source_path("tests/firmware/fixtures/mini-catalog.json")), "bench").ok())
    std::abort();
  auto cat = cs.load_active()->catalog;
  auto applicant = domain::parse_applicant_json(testing::read_file(
      testing::source_path("tests/firmware/fixtures/applicant.json")));
  outbox::SubmitService svc(**s, "K01");
  std::mt19937_64 rng(1);
  const std::size_t page_bytes = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    outbox::SubmitRequest req;
    req.draft.item = cat.find("T-QR-0001");
    req.draft.applicant = *applicant;
    req.draft.form = {{"phone", "0936-8212345"}, {"reason", "有效期满"}};
    for (int p = 0; p < 2; ++p) {
      std::string page(page_bytes, '\0');
      for (std::size_t i = 0; i < page.size(); i += 8) page[i] = static_cast<char>(rng());
      req.materials.push_back({p == 0 ? "m1" : "m2", std::move(page), "image/jpeg", 1});
    }
    state.ResumeTiming();
    auto r = svc.submit(req);
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
  }
  state.counters["submits_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
// Two material pages of 200 KB (a typical A4 scan at ~200 dpi) and of 4 KB.
BENCHMARK(BM_DurableSubmit)->Arg(200 * 1024)->Arg(4 * 1024)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
