// Driver that runs a libFuzzer target without libFuzzer (gcc builds, ctest):
// every file of the corpus directories given as arguments, then a bounded,
// deterministic stream of mutations of them (bit flips, truncations,
// splices, random bytes). It proves the target builds, runs and survives
// its seeds in every CI run; real fuzzing uses the clang build (README).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  std::vector<std::string> seeds;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (std::filesystem::is_directory(argv[i], ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(argv[i]))
        if (e.is_regular_file()) {
          std::ifstream f(e.path(), std::ios::binary);
          seeds.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
        }
    } else if (std::filesystem::is_regular_file(argv[i], ec)) {
      std::ifstream f(argv[i], std::ios::binary);
      seeds.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
  }
  if (seeds.empty()) seeds.emplace_back();
  auto run = [](const std::string& s) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  for (const auto& s : seeds) run(s);
  const char* env = std::getenv("BIANMIN_REPLAY_MUTATIONS");
  const long mutations = env ? std::atol(env) : 20000;
  std::mt19937_64 rng(0x6269616e6d696eULL);  // fixed: failures reproduce
  for (long n = 0; n < mutations; ++n) {
    std::string s = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < edits; ++k) {
      switch (rng() % 5) {
        case 0:
          if (!s.empty()) s[rng() % s.size()] ^= static_cast<char>(1u << (rng() % 8));
          break;
        case 1:
          if (!s.empty()) s.resize(rng() % s.size());
          break;
        case 2:
          s.insert(s.begin() + static_cast<long>(s.empty() ? 0 : rng() % (s.size() + 1)),
                   static_cast<char>(rng() & 0xff));
          break;
        case 3: {
          const std::string& o = seeds[rng() % seeds.size()];
          if (!o.empty()) s += o.substr(rng() % o.size(), 1 + rng() % 64);
          break;
        }
        default:
          if (!s.empty()) s[rng() % s.size()] = static_cast<char>(rng() & 0xff);
      }
    }
    run(s);
  }
  std::printf("replayed %zu seeds and %ld mutations\n", seeds.size(), mutations);
  return 0;
}
