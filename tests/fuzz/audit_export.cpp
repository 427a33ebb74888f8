// Fuzz target: an exported audit chain handed to `bianmin audit verify --file`
// (parse, then verify, which canonicalizes every entry's data with JCS), and
// the RFC 3339 timestamps that appear in central responses.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/audit_log.h"
#include "audit/export.h"
#include "base/time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)bianmin::time::parse_rfc3339(text);
  auto entries = bianmin::audit::parse_export(text);
  if (entries) (void)bianmin::audit::verify_chain(bianmin::crypto::Suite::standard, *entries);
  return 0;
}
