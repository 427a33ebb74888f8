#include "base/heap_wipe.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace bianmin {

void free_wiped(void* p) noexcept {
  if (!p) return;
  // explicit_bzero: the compiler may not drop a store to memory that is
  // freed right after, as it may drop a memset.
  explicit_bzero(p, malloc_usable_size(p));
  std::free(p);
}

bool perturb_freed_malloc_chunks(bool on) {
  // Freed chunks get this byte, new (non-calloc) ones its complement: a
  // fixed pattern, so a reader of stale memory learns nothing from it.
  // 0 turns perturbing off.
  constexpr int kPerturbByte = 0x5a;
  return mallopt(M_PERTURB, on ? kPerturbByte : 0) == 1;
}

}  // namespace bianmin
