// Parsing JSON that comes from outside the process (the central, a file, a
// peer): nesting is bounded before anything is built from it.
//
// nlohmann's parser does not recurse, but dump(), our JCS writer and every
// reader that walks a document do: a 60 KB body of 30,000 '[' crashed the
// whole reference central. No document of the spec nests deeper than a
// handful of levels, so anything past kMaxJsonDepth is refused outright.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

#include "base/result.h"

namespace bianmin {

inline constexpr int kMaxJsonDepth = 64;

// The byte offset of the first '[' or '{' (outside strings) that opens a
// level deeper than `max_depth`, or nullopt. Does not validate the JSON.
std::optional<std::size_t> json_too_deep_at(std::string_view text, int max_depth = kMaxJsonDepth);

// Parses `text` as JSON. Errors: code "json_too_deep" (nesting past
// `max_depth`) or "json_invalid" (with the parser's position); the caller
// puts them under its own code and context.
Result<nlohmann::json> parse_json(std::string_view text, int max_depth = kMaxJsonDepth);

// The nesting depth of a value already built (0 for a scalar), stopping as
// soon as it exceeds `limit`, without recursion.
int json_depth(const nlohmann::json& value, int limit = kMaxJsonDepth);

}  // namespace bianmin
