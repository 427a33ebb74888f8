// Catalogue search over 10,000 items: latency per query as a resident types.
//
// The 10,000 items are the shipped sample catalogue's items repeated with
// township and variant names, so names, lengths and characters are real.
// Besides Google Benchmark's mean, it reports p50/p99 over every query of
// the mix as counters.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>

#include "catalog/parse.h"
#include "catalog/search.h"
#include "support/testing.h"

namespace {

using namespace bianmin;

catalog::Catalog make_catalog(std::size_t n) {
  auto parsed = catalog::parse_catalog(testing::read_file(testing::sample_catalog_path()));
  if (!parsed.ok()) std::abort();
  const auto& base = parsed->catalog.items;
  static const char* kPlaces[] = {"梁家墩镇", "上秦镇", "大满镇", "沙井镇", "乌江镇", "甘浚镇", "新墩镇", "党寨镇",
                                  "碱滩镇", "三闸镇", "小满镇", "明永镇", "长安镇", "龙渠乡", "安阳乡", "花寨乡"};
  catalog::Catalog c;
  for (std::size_t i = 0; c.items.size() < n; ++i) {
    catalog::Item it = base[i % base.size()];
    const std::size_t round = i / base.size();
    if (round > 0) {
      it.code += "-" + std::to_string(round);
      it.name = std::string(kPlaces[round % 16]) + it.name + (round % 3 ? "（变更）" : "");
      it.implementing_body = std::string(kPlaces[round % 16]) + "人民政府";
    }
    c.items.push_back(std::move(it));
  }
  return c;
}

// What residents type: pinyin initials, full pinyin, mixes, hanzi, misses.
const std::vector<std::string> kQueries = {"s", "sf", "sfz", "shenfen", "shenfz", "dibao", "zdshbz", "ylbx",
                                           "gaoling", "80", "身份证", "养老", "宅基地", "xyz", "canjiren", "q"};

void BM_SearchMix(benchmark::State& state) {
  const auto cat = make_catalog(static_cast<std::size_t>(state.range(0)));
  catalog::SearchIndex index(cat);
  std::vector<double> us;
  std::size_t qi = 0, found = 0;
  for (auto _ : state) {
    catalog::SearchQuery q;
    q.text = kQueries[qi++ % kQueries.size()];
    const auto t0 = std::chrono::steady_clock::now();
    auto hits = index.search(q);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(hits.data());
    found += hits.size();
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  state.counters["max_us"] = us.back();
  state.counters["items"] = static_cast<double>(index.size());
  benchmark::DoNotOptimize(found);
}
BENCHMARK(BM_SearchMix)->Arg(10000)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

void BM_BuildIndex(benchmark::State& state) {
  const auto cat = make_catalog(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    catalog::SearchIndex index(cat);
    benchmark::DoNotOptimize(index.size());
  }
}
BENCHMARK(BM_BuildIndex)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
