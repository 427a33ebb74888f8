// The self-service kiosk: the resident's session (session/resident_session.h)
// on the resident's screens (screens/screens.h).
#pragma once

#include <memory>

#include "role.h"
#include "session/narration.h"
#include "session/resident_session.h"

namespace bianmin::ui {

class ResidentRole final : public Role {
 public:
  ResidentRole(RoleHost host, const catalog::Catalog* catalog, session::SessionConfig config)
      : host_(std::move(host)), session_(catalog, config) {}

  void set_catalog(const catalog::Catalog* catalog) override { session_.set_catalog(catalog); }
  void feed(session::Input in) override;
  void feed(session::ClerkInput) override {}
  void code(std::string raw) override;
  void touched() override { feed(session::Input{session::Touch{}}); }
  bool tick(Clock::time_point now) override;

  void begin_frame(Ui& ui, ImDrawList* dl, const Metrics& m, bool record_texts) const override {
    ui.begin_frame(session_.view(), dl, m, record_texts);
  }
  void draw(ScreenContext& c, Rect full) override {
    c.voice_on = speaking();
    draw_screen(c, full);
  }
  void take_intents(Ui& ui) override {
    for (auto& in : ui.take_intents()) feed(std::move(in));
  }

  bool elder() const override { return session_.view().elder; }
  bool wants_preview() const override { return session_.view().screen == session::Screen::materials; }
  bool idle() const override {
    const auto s = session_.view().screen;
    return s == session::Screen::attract || s == session::Screen::home;
  }
  std::string screen_key() const override { return session::screen_key(session_.view().screen); }
  const session::View& view() const { return session_.view(); }

 private:
  void speak(const session::Moment& before);
  bool speaking() const;

  RoleHost host_;
  session::ResidentSession session_;
  bool was_on_ = false;  // guidance was on after the previous input
};

}  // namespace bianmin::ui
