// JSON Canonicalization Scheme (RFC 8785): members sorted by the UTF-16 code
// units of their names, no whitespace, strings escaped as ECMAScript's
// JSON.stringify does, numbers in ECMAScript's shortest form.
// Throws std::invalid_argument for what JSON cannot hold (NaN, binary,
// invalid UTF-8 in a name) and for nesting past kMaxJsonDepth.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace bianmin::audit {

std::string canonical_json(const nlohmann::json& value);

}  // namespace bianmin::audit
