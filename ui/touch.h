// Touches, without ImGui's mouse model: every frame the screens register
// each touchable element by its id and rectangle; a finger (or, on a
// developer machine, the left mouse button) going down and up inside the
// same element activates it, and the element's code sees that once, on the
// next frame. Nothing reacts to hovering.
//
// The automation hook taps elements by id through the same path: it looks
// the rectangle up here and sends a real finger-down/finger-up pair.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layout.h"

namespace bianmin::ui {

class Touch {
 public:
  // Starts registering this frame's elements (the previous frame's stay
  // available for hit tests until end_frame()).
  void begin_frame();
  void end_frame();
  void add(std::string_view id, const Rect& r);

  // Input, in window pixels.
  void down(float x, float y);
  void up(float x, float y);
  void cancel();

  // True once for the element activated by the last tap.
  bool take_activation(std::string_view id);
  bool held(std::string_view id) const { return !pressed_.empty() && pressed_ == id; }
  bool pending() const { return !activated_.empty(); }

  // The element's rectangle as last drawn.
  std::optional<Rect> find(std::string_view id) const;
  std::vector<std::string> ids() const;
  // Where the last touch went down (for "any touch" handling).
  bool touched_since_last_frame() const { return touched_; }

 private:
  struct Element {
    std::string id;
    Rect r;
  };
  std::string hit(float x, float y) const;

  std::vector<Element> drawn_, drawing_;
  std::string pressed_, activated_;
  bool touched_ = false;
};

}  // namespace bianmin::ui
