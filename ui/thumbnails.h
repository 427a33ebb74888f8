// Small pictures of the pages captured for the application on the screen
// (the materials step shows them, so a clerk sees that the feeder took
// every page the right way up). Each page becomes one RGB texture of at
// most kMaxSide pixels; textures follow the pages — one appears when a page
// is captured, goes when the page is removed — and all go when the
// application is wiped. Render thread only (GL).
#pragma once

#include <string>
#include <vector>

#include "session/application_state.h"

namespace bianmin::ui {

struct Thumbnail {
  unsigned texture = 0;
  int width = 0, height = 0;
  std::string material_id;
};

class Thumbnails {
 public:
  static constexpr int kMaxSide = 240;
  ~Thumbnails() { clear(); }

  // Makes the textures match `app.pages` (decoding only new pages).
  void sync(const session::ApplicationState& app);
  void clear();
  const std::vector<Thumbnail>& all() const { return thumbs_; }

 private:
  std::vector<Thumbnail> thumbs_;
  std::vector<const void*> sources_;  // the page buffers they were made from, to notice a change
};

}  // namespace bianmin::ui
