#include "base/heap_policy.h"

#include <malloc.h>

namespace bianmin {

bool return_large_blocks_to_system() {
  // 256 KiB: an on-demand glyph, a draw list or a query result stays in the
  // arenas; a camera frame (5–15 MB), a JPEG, a page image does not.
  constexpr int kMmapThreshold = 256 * 1024;
  // Two arenas besides the main one: the kiosk's threads mostly wait, and
  // each extra arena keeps its own free memory.
  constexpr int kArenas = 2;
  const bool mmap_ok = mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1;
  const bool arenas_ok = mallopt(M_ARENA_MAX, kArenas) == 1;
  return mmap_ok && arenas_ok;
}

void release_free_heap_pages() { malloc_trim(0); }

}  // namespace bianmin
