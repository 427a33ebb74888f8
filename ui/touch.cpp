#include "touch.h"

namespace bianmin::ui {

void Touch::begin_frame() { drawing_.clear(); }

void Touch::end_frame() {
  drawn_.swap(drawing_);
  // An activation for an element that was not drawn this frame is stale.
  activated_.clear();
  touched_ = false;
}

void Touch::add(std::string_view id, const Rect& r) { drawing_.push_back({std::string(id), r}); }

std::string Touch::hit(float x, float y) const {
  // Later elements are drawn on top (overlays, the keyboard).
  for (auto it = drawn_.rbegin(); it != drawn_.rend(); ++it)
    if (it->r.contains(x, y)) return it->id;
  return {};
}

void Touch::down(float x, float y) {
  pressed_ = hit(x, y);
  touched_ = true;
}

void Touch::up(float x, float y) {
  if (!pressed_.empty() && hit(x, y) == pressed_) activated_ = pressed_;
  pressed_.clear();
}

void Touch::cancel() { pressed_.clear(); }

bool Touch::take_activation(std::string_view id) {
  if (activated_.empty() || activated_ != id) return false;
  activated_.clear();
  return true;
}

std::optional<Rect> Touch::find(std::string_view id) const {
  for (const auto& e : drawn_)
    if (e.id == id) return e.r;
  return std::nullopt;
}

std::vector<std::string> Touch::ids() const {
  std::vector<std::string> out;
  for (const auto& e : drawn_) out.push_back(e.id);
  return out;
}

}  // namespace bianmin::ui
