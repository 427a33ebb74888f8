#include "support/freed_blocks.h"

#include <malloc.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <string>

extern "C" void __libc_free(void* p);  // glibc's own free, exported for interposers

namespace bianmin::testing {
namespace {

constexpr std::size_t kMaxNeedles = 16;

// free() must not allocate, lock or throw: the needles are set before the
// watch starts and cleared after it ends, the counters are atomics.
struct Watch {
  std::atomic<bool> active{false};
  std::vector<std::string> needles;
  std::array<std::atomic<bool>, kMaxNeedles> seen{};
  std::atomic<std::size_t> dirty{0};
};

Watch& watch() {
  static Watch w;
  return w;
}

void inspect(const void* p) {
  Watch& w = watch();
  if (!p || !w.active.load(std::memory_order_acquire)) return;
  const std::string_view block(static_cast<const char*>(p), malloc_usable_size(const_cast<void*>(p)));
  bool dirty = false;
  for (std::size_t i = 0; i < w.needles.size(); ++i)
    if (block.find(w.needles[i]) != std::string_view::npos) {
      w.seen[i].store(true);
      dirty = true;
    }
  if (dirty) w.dirty.fetch_add(1);
}

}  // namespace

FreedBlocks::FreedBlocks(std::initializer_list<std::string_view> needles) {
  Watch& w = watch();
  // One watch at a time, of a bounded number of strings: misuse of the
  // helper ends the test binary rather than go unseen.
  if (w.active || needles.size() > kMaxNeedles) std::abort();
  w.needles.assign(needles.begin(), needles.end());
  for (auto& s : w.seen) s.store(false);
  w.dirty.store(0);
  w.active.store(true, std::memory_order_release);
}

FreedBlocks::~FreedBlocks() {
  Watch& w = watch();
  w.active.store(false, std::memory_order_release);
  w.needles.clear();
  w.needles.shrink_to_fit();
}

std::size_t FreedBlocks::dirty_blocks() const { return watch().dirty.load(); }

std::vector<std::string_view> FreedBlocks::found() const {
  Watch& w = watch();
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < w.needles.size(); ++i)
    if (w.seen[i].load()) out.push_back(w.needles[i]);
  return out;
}

}  // namespace bianmin::testing

extern "C" void free(void* p) noexcept {
  bianmin::testing::inspect(p);
  __libc_free(p);
}
