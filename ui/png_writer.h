// Screenshots: RGB rows to a PNG file (libpng), written to a temp name and
// renamed so a test never reads half a file.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace bianmin::ui {

Status write_png_rgb(const std::string& path, int width, int height, const std::vector<unsigned char>& rgb);

}  // namespace bianmin::ui
