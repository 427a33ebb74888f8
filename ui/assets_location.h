// Where the UI finds its assets (i18n/, catalog/, sim/) when no --assets is
// given: an installed bianmin (/usr/bin/bianmin from the package) reads
// ../share/bianmin beside its executable; a build tree reads the source
// tree's assets/ (BIANMIN_ASSETS_DIR, fixed at configure time).
#pragma once

#include <string>

namespace bianmin::ui {

std::string default_assets_dir();

}  // namespace bianmin::ui
