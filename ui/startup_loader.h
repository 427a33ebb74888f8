// What the first frame needs that costs CPU but no GL context: the active
// catalogue (parsing and checking 1,000 items takes 0.2 s) and a glyph
// atlas for its characters (FreeType, 0.1–0.3 s). A thread of its own
// loads both while the render thread opens the window and the GL context,
// so the two overlap instead of adding up on the way to the first frame.
#pragma once

#include <future>
#include <memory>
#include <string>

#include "base/result.h"
#include "catalog/model.h"
#include "fonts.h"
#include "i18n.h"

namespace bianmin::ui {

struct StartupAssets {
  std::shared_ptr<const catalog::Catalog> catalog;  // empty when none is installed
  std::unique_ptr<Fonts> fonts;                     // characters set
  std::shared_ptr<PreparedAtlas> atlas;             // rasterised, not yet installed
};

class StartupLoader {
 public:
  // Starts at once. `data_dir` holds the store (already opened and migrated
  // by the caller: this opens a second connection) and the loader's cache
  // of the catalogue's characters; `strings` must live until take().
  StartupLoader(std::string data_dir, const Strings& strings, FontSizes sizes);
  ~StartupLoader();
  // Waits for the loader. Once.
  Result<StartupAssets> take();

 private:
  std::future<Result<StartupAssets>> result_;
};

}  // namespace bianmin::ui
