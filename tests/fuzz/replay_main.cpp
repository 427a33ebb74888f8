// Driver that runs a libFuzzer target without libFuzzer (gcc builds, ctest):
// every file of the corpus directories given as arguments, then a bounded,
// deterministic stream of mutations of them (bit flips, truncations,
// splices, random bytes). It proves the target builds, runs and survives
// its seeds in every CI run; real fuzzing uses the clang build (README).
// An input that crashes is written to replay-crash.bin in the working
// directory (ctest: the test's build directory) before the process dies,
// so that the failure can be replayed alone: `fuzz_x replay-crash.bin`.
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
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

namespace {

const std::string* g_current = nullptr;

// Only async-signal-safe calls: open, write, close, then the default action.
void on_crash(int sig) {
  if (g_current) {
    const int fd = ::open("replay-crash.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!::write(fd, g_current->data(), g_current->size());
      ::close(fd);
    }
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

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
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_crash);
  auto run = [](const std::string& s) {
    g_current = &s;
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  for (const auto& s : seeds) run(s);
  // Mutations start from the seeds up to 64 KiB: the nesting seeds of
  // 200–600 KB have been run once above, and 20,000 edited copies of them
  // would cost the replay tens of seconds for the same few code paths.
  std::vector<const std::string*> bases;
  for (const auto& s : seeds)
    if (s.size() <= 64 * 1024) bases.push_back(&s);
  if (bases.empty())
    for (const auto& s : seeds) bases.push_back(&s);
  const char* env = std::getenv("BIANMIN_REPLAY_MUTATIONS");
  const long mutations = env ? std::atol(env) : 20000;
  std::mt19937_64 rng(0x6269616e6d696eULL);  // fixed: failures reproduce
  for (long n = 0; n < mutations; ++n) {
    std::string s = *bases[rng() % bases.size()];
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
          const std::string& o = *bases[rng() % bases.size()];
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
