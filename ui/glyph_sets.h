// Which characters the glyph atlas must hold before the first frame: every
// character of the catalogue (titles at the larger size, the rest at body
// size). Characters outside these sets are added on demand (fonts.h).
#pragma once

#include <cstdint>
#include <set>
#include <string_view>

#include "catalog/model.h"

namespace bianmin::ui {

void add_chars(std::set<uint32_t>& out, std::string_view s);
// Item names, bodies and field labels go to `titles`; everything else a
// guide shows goes to `body`.
void catalogue_chars(const catalog::Catalog& c, std::set<uint32_t>& body, std::set<uint32_t>& titles);

}  // namespace bianmin::ui
