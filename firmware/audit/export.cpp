#include "audit/export.h"

#include "base/json_input.h"

namespace bianmin::audit {

Result<std::vector<Entry>> parse_export(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return make_error("input_invalid", "not an audit export: " + doc.error().message);
  if (!doc->is_object() || !doc->contains("entries") || !(*doc)["entries"].is_array())
    return make_error("input_invalid", "not an audit export ({\"entries\": [...]})");
  std::vector<Entry> out;
  for (const auto& e : (*doc)["entries"]) {
    BIANMIN_ASSIGN(Entry entry, Entry::from_json(e));
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace bianmin::audit
