// Parses the catalogue document of the spec (GET /api/v1/catalog).
//
// Unknown fields are ignored (forward compatibility). An item that lacks a
// required field or has a field of the wrong type is skipped with a reason;
// the document as a whole is rejected ("catalog_invalid") only when it is
// not JSON, lacks its top-level fields, or has no valid item at all, so that
// the caller keeps the previous catalogue active.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "catalog/model.h"

namespace bianmin::catalog {

struct SkippedItem {
  std::size_t index = 0;  // position in "items"
  std::string code;       // may be empty when the code itself was bad
  std::string reason;
};

struct ParsedCatalog {
  Catalog catalog;
  std::vector<SkippedItem> skipped;
  std::vector<std::string> skipped_funds;
};

Result<ParsedCatalog> parse_catalog(std::string_view json_text);

}  // namespace bianmin::catalog
