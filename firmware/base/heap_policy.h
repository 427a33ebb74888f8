// How the kiosk's heap gives memory back (issue 13: resident memory).
//
// glibc serves a large request (≥ 128 KiB) with its own mmap and unmaps it
// on free — until the first such block is freed: then it raises that
// threshold to the block's size (up to 32 MiB), and every later camera
// frame or page image of that size comes from an arena instead, whose
// freed pages stay resident. With 20 threads, each with its own arena,
// a morning's material captures left tens of megabytes that no session
// used again. A fixed threshold keeps large blocks on mmap for good.
#pragma once

namespace bianmin {

// Large blocks always come from mmap (so free returns them); few arenas.
// Returns false when glibc refused a setting.
bool return_large_blocks_to_system();

// Gives the free pages inside every arena back to the system
// (malloc_trim). A few milliseconds: call it at a quiet moment, such as
// the end of a resident's session.
void release_free_heap_pages();

}  // namespace bianmin
