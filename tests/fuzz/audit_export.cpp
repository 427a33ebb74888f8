// Fuzz target: an exported audit chain handed to `bianmin audit verify --file`,
// and the RFC 3339 timestamps that appear in central responses.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/audit_log.h"
#include "audit/jcs.h"
#include "base/time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)bianmin::time::parse_rfc3339(text);
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("entries") || !doc["entries"].is_array()) return 0;
  std::vector<bianmin::audit::Entry> entries;
  for (const auto& e : doc["entries"]) {
    auto entry = bianmin::audit::Entry::from_json(e);
    if (entry.ok()) entries.push_back(std::move(entry).value());
  }
  (void)bianmin::audit::verify_chain(bianmin::crypto::Suite::standard, entries);
  return 0;
}
