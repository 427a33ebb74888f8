#include "base/json_input.h"

#include <string>
#include <utility>
#include <vector>

namespace bianmin {

std::optional<std::size_t> json_too_deep_at(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (++depth > max_depth) return i;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return std::nullopt;
}

Result<nlohmann::json> parse_json(std::string_view text, int max_depth) {
  if (auto at = json_too_deep_at(text, max_depth))
    return make_error("json_too_deep", "JSON nested deeper than " + std::to_string(max_depth) + " levels (at byte " +
                                           std::to_string(*at) + ")");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return make_error("json_invalid", std::string("not valid JSON: ") + e.what());
  }
}

int json_depth(const nlohmann::json& value, int limit) {
  // Explicit stack of (value, its depth): the point is not to recurse.
  std::vector<std::pair<const nlohmann::json*, int>> todo{{&value, 0}};
  int deepest = 0;
  while (!todo.empty()) {
    auto [v, d] = todo.back();
    todo.pop_back();
    if (!v->is_structured()) continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > limit) return deepest;
    for (const auto& child : *v) todo.emplace_back(&child, d + 1);
  }
  return deepest;
}

}  // namespace bianmin
