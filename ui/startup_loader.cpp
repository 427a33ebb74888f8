#include "startup_loader.h"

#include <chrono>
#include <set>

#include "base/log.h"
#include "catalog/catalog_store.h"
#include "glyph_sets.h"
#include "store/database.h"

namespace bianmin::ui {
namespace {

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

Result<StartupAssets> load(const std::string& db_path, const Strings& strings, FontSizes sizes) {
  StartupAssets out;
  const auto t0 = std::chrono::steady_clock::now();
  {
    BIANMIN_ASSIGN(store::Database db, store::Database::open(db_path));
    catalog::CatalogStore cs(db);
    auto active = cs.load_active();
    if (active) {
      out.catalog = std::make_shared<const catalog::Catalog>(std::move(active->catalog));
    } else {
      log::warn("ui", "no catalogue: the lists are empty until syncd installs one", {{"error", active.error().code}});
      out.catalog = std::make_shared<const catalog::Catalog>();
    }
  }
  const double catalogue_ms = ms_since(t0);
  BIANMIN_ASSIGN(out.fonts, Fonts::open());
  const double fonts_ms = ms_since(t0);
  std::set<uint32_t> body, titles;
  strings.collect_codepoints(titles);
  catalogue_chars(*out.catalog, body, titles);
  out.fonts->set_characters(std::move(body), std::move(titles));
  const double chars_ms = ms_since(t0);
  out.atlas = out.fonts->prepare_atlas(sizes);
  BIANMIN_TRY(rasterise_atlas(*out.atlas));
  log::info("ui", "start-up assets loaded",
            {{"items", out.catalog->items.size()}, {"catalogue_ms", static_cast<int>(catalogue_ms)},
             {"fonts_found_ms", static_cast<int>(fonts_ms)}, {"characters_ms", static_cast<int>(chars_ms)},
             {"atlas_ms", static_cast<int>(ms_since(t0))}});
  return out;
}

}  // namespace

StartupLoader::StartupLoader(std::string db_path, const Strings& strings, FontSizes sizes)
    : result_(std::async(std::launch::async, [path = std::move(db_path), &strings, sizes] {
        return load(path, strings, sizes);
      })) {}

StartupLoader::~StartupLoader() {
  if (result_.valid()) result_.wait();
}

Result<StartupAssets> StartupLoader::take() { return result_.get(); }

}  // namespace bianmin::ui
