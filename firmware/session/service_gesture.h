// The way into service mode from the kiosk's screen: a gesture no resident
// makes by accident, and that needs no button a resident could find.
//
//   1. hold the top-left corner, still, for 3 s, and lift;
//   2. within 5 s, hold the top-right corner, still, for 3 s.
//
// "Corner" is a square of 15 mm from the screen's corner, "still" is within
// 4 mm of where the finger came down, and a second finger cancels. Taps,
// swipes, a palm resting on the screen and everything a resident does on
// the home screen fail at least one of these (tested with random touch
// sequences). The gesture only shows the unlock screen: a PIN, a
// technician card or, on a fresh terminal, the enrolment QR still has to
// follow. Pure: positions and times in, "complete" out.
#pragma once

#include <chrono>
#include <optional>

namespace bianmin::session {

class ServiceGesture {
 public:
  using Clock = std::chrono::steady_clock;
  struct Geometry {
    float width = 1080, height = 1920;  // the screen, in pixels
    float px_per_mm = 4;
  };
  static constexpr std::chrono::milliseconds kHold{3000};
  static constexpr std::chrono::milliseconds kBetween{5000};
  static constexpr float kCornerMm = 15, kSlopMm = 4;

  void set_geometry(Geometry g) { geo_ = g; }
  void down(int finger, float x, float y, Clock::time_point t);
  void move(int finger, float x, float y);
  void up(int finger, Clock::time_point t);
  // True once, at the moment the second hold is complete (the finger may
  // still be down). Call on every loop turn; next_deadline() says when
  // something can next happen without a touch.
  bool poll(Clock::time_point now);
  std::optional<Clock::time_point> next_deadline() const;

 private:
  enum class Stage { idle, first_hold, first_lifted, second_hold };
  enum class Corner { none, top_left, top_right };
  Corner corner_of(float x, float y) const;
  void reset() { stage_ = Stage::idle; held_long_enough_ = false; }

  Geometry geo_;
  Stage stage_ = Stage::idle;
  int finger_ = -1;
  int fingers_down_ = 0;
  float x0_ = 0, y0_ = 0;
  Clock::time_point since_{};
  bool held_long_enough_ = false;
};

}  // namespace bianmin::session
