#include "audit/export.h"

#include <string>

#include "base/json_input.h"

namespace bianmin::audit {

Result<std::vector<Entry>> parse_export(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return make_error("input_invalid", "not an audit export: " + doc.error().message);
  if (!doc->is_object() || !doc->contains("entries") || !(*doc)["entries"].is_array())
    return make_error("input_invalid", "not an audit export ({\"entries\": [...]})");
  std::vector<Entry> out;
  for (const auto& e : (*doc)["entries"]) {
    // An entry that does not read is a bad file (exit 2), like bad JSON.
    auto entry = Entry::from_json(e);
    if (!entry) {
      std::string why = entry.error().message;
      if (why.rfind("audit entry: ", 0) == 0) why.erase(0, 13);
      return make_error("input_invalid", "audit export, entry " + std::to_string(out.size() + 1) + ": " + why);
    }
    out.push_back(std::move(entry).value());
  }
  return out;
}

}  // namespace bianmin::audit
