// The global operator new/delete family of the `bianmin` executable: every
// block is overwritten before it goes back to malloc (base/heap_wipe.h).
// Linked into the executable only, never into a library: a replacement is
// one per program, and the fuzz targets and tests keep the ordinary one.
//
// All the replaceable forms are here, so that no path (a nothrow or aligned
// new, a sized delete from a library built with -fsized-deallocation) ends
// in the C++ runtime's own, unwiped, delete.
#include <cstdlib>
#include <new>

#include "base/heap_wipe.h"

namespace {

// The loop of [new.delete.single]: on failure call the new-handler, which
// frees memory, throws or ends the program; without one, give up.
void* allocate(std::size_t n) {
  if (n == 0) n = 1;
  for (;;) {
    if (void* p = std::malloc(n)) return p;
    std::new_handler h = std::get_new_handler();
    if (!h) return nullptr;
    h();
  }
}

void* allocate_aligned(std::size_t n, std::align_val_t al) {
  if (n == 0) n = 1;
  // posix_memalign wants a power of two that is a multiple of sizeof(void*).
  std::size_t a = static_cast<std::size_t>(al);
  if (a < sizeof(void*)) a = sizeof(void*);
  for (;;) {
    void* p = nullptr;
    if (posix_memalign(&p, a, n) == 0) return p;
    std::new_handler h = std::get_new_handler();
    if (!h) return nullptr;
    h();
  }
}

void* allocate_or_throw(std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}

void* allocate_aligned_or_throw(std::size_t n, std::align_val_t al) {
  if (void* p = allocate_aligned(n, al)) return p;
  throw std::bad_alloc();
}

// A new-handler may throw bad_alloc; the nothrow forms answer nullptr instead.
void* allocate_nothrow(std::size_t n) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}

void* allocate_aligned_nothrow(std::size_t n, std::align_val_t al) noexcept {
  try {
    return allocate_aligned(n, al);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

void* operator new(std::size_t n) { return allocate_or_throw(n); }
void* operator new[](std::size_t n) { return allocate_or_throw(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate_nothrow(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate_nothrow(n); }
void* operator new(std::size_t n, std::align_val_t al) { return allocate_aligned_or_throw(n, al); }
void* operator new[](std::size_t n, std::align_val_t al) { return allocate_aligned_or_throw(n, al); }
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return allocate_aligned_nothrow(n, al);
}
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return allocate_aligned_nothrow(n, al);
}

// The size a sized delete passes is what was asked for; the block can be
// larger, and free_wiped overwrites all of it.
void operator delete(void* p) noexcept { bianmin::free_wiped(p); }
void operator delete[](void* p) noexcept { bianmin::free_wiped(p); }
void operator delete(void* p, std::size_t) noexcept { bianmin::free_wiped(p); }
void operator delete[](void* p, std::size_t) noexcept { bianmin::free_wiped(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { bianmin::free_wiped(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { bianmin::free_wiped(p); }
void operator delete(void* p, std::align_val_t) noexcept { bianmin::free_wiped(p); }
void operator delete[](void* p, std::align_val_t) noexcept { bianmin::free_wiped(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { bianmin::free_wiped(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { bianmin::free_wiped(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { bianmin::free_wiped(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { bianmin::free_wiped(p); }
