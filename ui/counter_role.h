// The counter terminal: the window clerk's session
// (session/clerk_session.h) on the counter's screens
// (screens/counter_screens.h), with the counter's own worker (counter_desk.h)
// for PINs and tickets beside the Shell's.
#pragma once

#include "counter_desk.h"
#include "role.h"
#include "session/clerk_session.h"

namespace bianmin::ui {

class CounterRole final : public Role {
 public:
  CounterRole(RoleHost host, const catalog::Catalog* catalog, session::ClerkConfig config, CounterDesk& desk)
      : host_(std::move(host)), desk_(desk), session_(catalog, std::move(config)) {}

  void set_catalog(const catalog::Catalog* catalog) override { session_.set_catalog(catalog); }
  void feed(session::Input in) override;
  void feed(session::ClerkInput in) override;
  void code(std::string raw) override;
  void touched() override { feed(session::ClerkInput{session::Touch{}}); }
  bool tick(Clock::time_point now) override;

  void begin_frame(Ui& ui, ImDrawList* dl, const Metrics& m, bool record_texts) const override {
    ui.begin_frame(session_.view(), dl, m, record_texts);
  }
  void draw(ScreenContext& c, Rect full) override;
  void take_intents(Ui& ui) override;

  bool elder() const override { return false; }
  bool wants_preview() const override { return session_.view().screen == session::CounterScreen::materials; }
  bool idle() const override {
    const auto s = session_.view().screen;
    return s == session::CounterScreen::sign_in || s == session::CounterScreen::waiting_line;
  }
  std::string screen_key() const override { return session::counter_screen_key(session_.view().screen); }

 private:
  void carry_out(session::ClerkEffect e);

  RoleHost host_;
  CounterDesk& desk_;
  session::ClerkSession session_;
};

}  // namespace bianmin::ui
