// What wiping freed memory costs (firmware/base/heap_wipe.h): a malloc and
// free of one block, plain, with free_wiped (what the executable's operator
// delete and ImGui's free do) and with glibc's M_PERTURB on (what C
// libraries' frees get). Sizes from a short string to a camera still.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>

#include "base/heap_wipe.h"

namespace {

enum class Release { plain, wiped, perturbed };

void alloc_free(benchmark::State& state, Release how) {
  const auto n = static_cast<std::size_t>(state.range(0));
  if (!bianmin::perturb_freed_malloc_chunks(how == Release::perturbed)) state.SkipWithError("M_PERTURB refused");
  for (auto _ : state) {
    char* p = static_cast<char*>(std::malloc(n));
    // Written like a real block would be, so the cost of touching it is in
    // the plain case too.
    std::memset(p, 'x', n);
    benchmark::DoNotOptimize(p);
    if (how == Release::wiped) bianmin::free_wiped(p);
    else std::free(p);
  }
  bianmin::perturb_freed_malloc_chunks(false);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}

void Plain(benchmark::State& s) { alloc_free(s, Release::plain); }
void Wiped(benchmark::State& s) { alloc_free(s, Release::wiped); }
void Perturbed(benchmark::State& s) { alloc_free(s, Release::perturbed); }

// 24: a short string; 200, 2000: a form's rows, a JSON body; 64 KiB: an
// ImGui vertex buffer; 1 MiB and 6 MiB: a JPEG page, a 1080p RGB frame.
void sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {24, 200, 2000, 64 << 10, 1 << 20, 6 << 20}) b->Arg(n);
}
BENCHMARK(Plain)->Apply(sizes);
BENCHMARK(Wiped)->Apply(sizes);
BENCHMARK(Perturbed)->Apply(sizes);

}  // namespace

BENCHMARK_MAIN();
