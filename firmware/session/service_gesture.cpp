#include "session/service_gesture.h"

#include <cmath>

namespace bianmin::session {

ServiceGesture::Corner ServiceGesture::corner_of(float x, float y) const {
  const float c = kCornerMm * geo_.px_per_mm;
  if (y > c) return Corner::none;
  if (x <= c) return Corner::top_left;
  if (x >= geo_.width - c) return Corner::top_right;
  return Corner::none;
}

void ServiceGesture::down(int finger, float x, float y, Clock::time_point t) {
  ++fingers_down_;
  if (fingers_down_ > 1) {  // two fingers: a palm, a child, not a technician
    reset();
    return;
  }
  const Corner c = corner_of(x, y);
  const bool second_in_time = stage_ == Stage::first_lifted && t - since_ <= kBetween;
  if (second_in_time && c == Corner::top_right) {
    stage_ = Stage::second_hold;
  } else if (c == Corner::top_left) {
    stage_ = Stage::first_hold;
  } else {
    reset();
    return;
  }
  finger_ = finger;
  x0_ = x;
  y0_ = y;
  since_ = t;
  held_long_enough_ = false;
}

void ServiceGesture::move(int finger, float x, float y) {
  if (finger != finger_ || (stage_ != Stage::first_hold && stage_ != Stage::second_hold)) return;
  const float slop = kSlopMm * geo_.px_per_mm;
  if (std::hypot(x - x0_, y - y0_) > slop) reset();
}

void ServiceGesture::up(int finger, Clock::time_point t) {
  if (fingers_down_ > 0) --fingers_down_;
  if (finger != finger_) return;
  finger_ = -1;
  if (stage_ == Stage::first_hold && (held_long_enough_ || t - since_ >= kHold)) {
    stage_ = Stage::first_lifted;
    since_ = t;
    return;
  }
  if (stage_ != Stage::first_lifted) reset();
}

bool ServiceGesture::poll(Clock::time_point now) {
  switch (stage_) {
    case Stage::first_hold:
      if (now - since_ >= kHold) held_long_enough_ = true;
      return false;
    case Stage::first_lifted:
      if (now - since_ > kBetween) reset();
      return false;
    case Stage::second_hold:
      if (now - since_ < kHold) return false;
      reset();
      return true;
    case Stage::idle: return false;
  }
  return false;
}

std::optional<ServiceGesture::Clock::time_point> ServiceGesture::next_deadline() const {
  switch (stage_) {
    case Stage::first_hold:
    case Stage::second_hold: return since_ + kHold;
    case Stage::first_lifted: return since_ + kBetween;
    case Stage::idle: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace bianmin::session
