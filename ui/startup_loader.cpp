#include "startup_loader.h"

#include <chrono>
#include <fstream>
#include <set>

#include "base/bytes.h"
#include "base/fs.h"
#include "base/log.h"
#include "catalog/catalog_store.h"
#include "glyph_sets.h"
#include "store/database.h"

namespace bianmin::ui {
namespace {

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

// The catalogue's characters, remembered per snapshot: with them the atlas
// is rasterised while the catalogue parses, instead of after it. Derived
// data, public text: a missing or stale file only costs that overlap (a
// character not in the atlas is drawn on demand).
struct GlyphCache {
  std::string path, key;  // key: snapshot id and version

  bool read(std::set<uint32_t>& body, std::set<uint32_t>& titles) const {
    auto text = fs::read_file(path, 1u << 20);
    if (!text) return false;
    std::vector<std::string> lines;
    std::size_t at = 0;
    for (std::size_t nl; (nl = text->find('\n', at)) != std::string::npos; at = nl + 1)
      lines.push_back(text->substr(at, nl - at));
    if (lines.size() != 3 || lines[0] != key) return false;
    std::vector<uint32_t> cps;
    decode_utf8(lines[1], cps);
    body.insert(cps.begin(), cps.end());
    cps.clear();
    decode_utf8(lines[2], cps);
    titles.insert(cps.begin(), cps.end());
    return true;
  }

  void write(const std::set<uint32_t>& body, const std::set<uint32_t>& titles) const {
    std::string out = key + "\n";
    for (const auto* set : {&body, &titles}) {
      for (uint32_t c : *set)
        if (c >= 0x20) utf8_append(out, static_cast<char32_t>(c));
      out += "\n";
    }
    const std::string tmp = path + ".tmp";
    std::ofstream(tmp, std::ios::binary | std::ios::trunc) << out;
    if (std::rename(tmp.c_str(), path.c_str()) != 0) std::remove(tmp.c_str());
  }
};

Result<std::shared_ptr<PreparedAtlas>> rasterised(const Fonts& fonts, FontSizes sizes) {
  auto atlas = fonts.prepare_atlas(sizes);
  BIANMIN_TRY(rasterise_atlas(*atlas));
  return atlas;
}

Result<StartupAssets> load(const std::string& data_dir, const Strings& strings, FontSizes sizes) {
  StartupAssets out;
  const auto t0 = std::chrono::steady_clock::now();
  // Fonts first: finding them starts their files' read-ahead.
  BIANMIN_ASSIGN(out.fonts, Fonts::open());
  const double fonts_ms = ms_since(t0);
  std::set<uint32_t> ui_chars;
  strings.collect_codepoints(ui_chars);

  BIANMIN_ASSIGN(store::Database db, store::Database::open(data_dir + "/bianmin.db"));
  catalog::CatalogStore cs(db);
  GlyphCache cache{data_dir + "/glyph-chars.txt", ""};
  if (auto v = cs.active_version(); v && *v) cache.key = std::to_string((*v)->first) + " " + (*v)->second;
  std::future<Result<std::shared_ptr<PreparedAtlas>>> early;
  if (std::set<uint32_t> body, titles; !cache.key.empty() && cache.read(body, titles)) {
    titles.insert(ui_chars.begin(), ui_chars.end());
    out.fonts->set_characters(std::move(body), std::move(titles));
    early = std::async(std::launch::async, [&fonts = *out.fonts, sizes] { return rasterised(fonts, sizes); });
  }

  auto active = cs.load_active();
  if (active) {
    out.catalog = std::make_shared<const catalog::Catalog>(std::move(active->catalog));
  } else {
    log::warn("ui", "no catalogue: the lists are empty until syncd installs one", {{"error", active.error().code}});
    out.catalog = std::make_shared<const catalog::Catalog>();
  }
  const double catalogue_ms = ms_since(t0);
  const bool alongside = early.valid();
  if (alongside) {
    BIANMIN_ASSIGN(out.atlas, early.get());
  } else {
    std::set<uint32_t> body, titles;
    catalogue_chars(*out.catalog, body, titles);
    if (!cache.key.empty() && active && active->snapshot_id == std::stoll(cache.key)) cache.write(body, titles);
    titles.insert(ui_chars.begin(), ui_chars.end());
    out.fonts->set_characters(std::move(body), std::move(titles));
    BIANMIN_ASSIGN(out.atlas, rasterised(*out.fonts, sizes));
  }
  log::info("ui", "start-up assets loaded",
            {{"items", out.catalog->items.size()}, {"fonts_found_ms", static_cast<int>(fonts_ms)},
             {"catalogue_ms", static_cast<int>(catalogue_ms)}, {"atlas_ms", static_cast<int>(ms_since(t0))},
             {"atlas_alongside", alongside ? "yes" : "no"}});
  return out;
}

}  // namespace

StartupLoader::StartupLoader(std::string data_dir, const Strings& strings, FontSizes sizes)
    : result_(std::async(std::launch::async, [dir = std::move(data_dir), &strings, sizes] {
        return load(dir, strings, sizes);
      })) {}

StartupLoader::~StartupLoader() {
  if (result_.valid()) result_.wait();
}

Result<StartupAssets> StartupLoader::take() { return result_.get(); }

}  // namespace bianmin::ui
