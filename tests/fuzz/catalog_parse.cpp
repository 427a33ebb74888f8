// Fuzz target: the catalogue parser (bytes from the central or a USB stick).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/parse.h"
#include "catalog/search.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = bianmin::catalog::parse_catalog(text);
  if (parsed.ok()) {
    // Whatever parses must also index and search without trouble.
    bianmin::catalog::SearchIndex index(parsed->catalog);
    bianmin::catalog::SearchQuery q;
    q.text = "sfz";
    (void)index.search(q);
  }
  return 0;
}
