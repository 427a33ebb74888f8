// Freed heap memory carries no resident data (design invariant 2).
//
// Explicit wipes at every copy of a resident's data are not enough on their
// own: a std::vector that grows moves its elements and frees the old buffer
// as it was, short strings live inside such buffers, and libraries copy text
// into temporaries of their own. So a process that holds resident data wipes
// every heap block on its way back to the allocator:
//   - C++ allocations: base/wiping_new.cpp replaces the global operator
//     new/delete family in the `bianmin` executable (every library's C++ code
//     included: librime, nlohmann, libstdc++ itself);
//   - Dear ImGui (InputText buffers, ImGuiStorage, draw lists): the kiosk
//     hands ImGui free_wiped as its free function;
//   - other C libraries (OpenSSL, libcurl, SQLite): perturb_freed_malloc_chunks,
//     which glibc honours only partly (see there), in every process but the
//     kiosk, where it costs frames and no C library is handed resident text.
#pragma once

#include <cstddef>

namespace bianmin {

// Overwrites the whole usable block at `p` (malloc_usable_size, which can be
// more than was asked for) and frees it. `p` must come from malloc,
// calloc, realloc, aligned_alloc or posix_memalign; nullptr is ignored.
void free_wiped(void* p) noexcept;

// Asks glibc to overwrite the chunks that C code frees (mallopt M_PERTURB),
// or, with `on` false, to stop. glibc does so only on its main free paths:
// a small chunk (up to 1032 usable bytes) that goes to the per-thread cache
// (7 per size) is cached as it is, and large blocks (mmap'd) are unmapped
// instead. So this narrows what C libraries leave behind (TLS and curl
// buffers in syncd, for one); it does not close it. It also fills every
// new chunk, which is what makes it costly where C code allocates much
// (bench_heap_wipe; the kiosk's renderer: README). Returns false when glibc
// refused the setting.
bool perturb_freed_malloc_chunks(bool on);

}  // namespace bianmin
