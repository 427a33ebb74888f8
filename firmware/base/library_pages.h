// Giving back the resident pages of a library that works only in bursts
// (issue 13: resident memory).
//
// Under Mesa's llvmpipe the GL driver links libLLVM: compiling the kiosk's
// few shader variants at start-up touches about 46 MB of its code, which
// then stays mapped — and counted in the kiosk's VmRSS — although nothing
// runs it again until a new variant is needed. Dropping the mapping of
// those pages loses nothing: the pages of a read-only file mapping that the
// process never wrote are the file's, and the next call faults them back
// in from the page cache (or the file). Once unmapped they are also the
// first the kernel can reclaim when memory runs short.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bianmin {

struct ReleasedPages {
  int mappings = 0;     // mappings whose pages were dropped
  int64_t bytes = 0;    // their resident bytes before
  int skipped = 0;      // matching mappings left alone (written to, or writable)
};

// Drops the resident pages of every mapping of a file whose path contains
// `library` and that can be given back losslessly: not writable and without
// a private copy of any page ("Anonymous: 0 kB" in smaps). Reads
// `smaps_path` (/proc/self/smaps; tests pass their own). Costs a read of
// smaps: a few milliseconds, for a quiet moment.
Result<ReleasedPages> release_library_pages(std::string_view library,
                                            const std::string& smaps_path = "/proc/self/smaps");

}  // namespace bianmin
