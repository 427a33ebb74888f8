#include "atlas_keeper.h"

#include "base/heap_policy.h"
#include "base/log.h"
#include "widgets.h"

namespace bianmin::ui {

AtlasKeeper::AtlasKeeper(Fonts& fonts, Inbox& inbox, bool elder)
    : fonts_(fonts), inbox_(inbox), installed_elder_(elder), wanted_elder_(elder) {}

AtlasKeeper::~AtlasKeeper() { worker_.stop(); }

void AtlasKeeper::want(bool elder) {
  if (elder != wanted_elder_) failed_ = false;
  wanted_elder_ = elder;
  // A build that failed is not retried every frame: only a new want or new
  // characters start another.
  if (!in_flight_ && !failed_ && (wanted_elder_ != installed_elder_ || stale_)) start();
}

void AtlasKeeper::characters_changed() {
  stale_ = true;
  failed_ = false;
  if (!in_flight_) start();
}

void AtlasKeeper::start() {
  // Configured here, on the render thread, from the fonts' current
  // characters; only the rasterising moves to the worker.
  std::shared_ptr<PreparedAtlas> atlas = fonts_.prepare_atlas(Metrics::font_sizes(wanted_elder_));
  stale_ = false;
  in_flight_ = true;
  const uint64_t generation = ++generation_;
  const bool elder = wanted_elder_;
  worker_.post([this, atlas, elder, generation] {
    if (auto st = rasterise_atlas(*atlas); !st) {
      log::error("ui", "glyph atlas", {{"error", st.error().message}});
      inbox_.push(AtlasReady{nullptr, elder, generation});
      return;
    }
    inbox_.push(AtlasReady{atlas, elder, generation});
  });
}

bool AtlasKeeper::on_ready(AtlasReady& ready) {
  if (ready.generation != generation_) return false;  // superseded
  in_flight_ = false;
  if (!ready.atlas) {
    failed_ = true;
    return false;
  }
  bool installed = false;
  if (ready.elder == wanted_elder_ && !stale_) {
    if (auto st = fonts_.install_atlas(std::move(ready.atlas)); st) {
      installed_elder_ = ready.elder;
      installed = true;
      // What rasterising left (the fonts' pages, the builder's free blocks)
      // is given back off the render thread.
      worker_.post([this] {
        fonts_.release_font_pages();
        release_free_heap_pages();
      });
    } else {
      log::error("ui", "glyph atlas", {{"error", st.error().message}});
      failed_ = true;
    }
  }
  want(wanted_elder_);  // what is wanted may have moved on meanwhile
  return installed;
}

}  // namespace bianmin::ui
