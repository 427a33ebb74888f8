// Which screen to draw, and what every screen has: the status bar, and the
// idle countdown over everything.
#include "screens/screens.h"

namespace bianmin::ui {

void draw_screen(ScreenContext& c, Rect full) {
  Ui& ui = c.ui;
  const auto& v = ui.view();
  if (c.local.last_screen != static_cast<int>(v.screen)) {
    c.local.screen_changed();
    c.local.last_screen = static_cast<int>(v.screen);
  }
  ui.fill(full, color::kBackground);
  Rect r = draw_status_bar(c, full);
  using S = session::Screen;
  switch (v.screen) {
    case S::attract: draw_attract(c, r); break;
    case S::home: draw_home(c, r); break;
    case S::lists: draw_lists(c, r); break;
    case S::item_guide: draw_guide(c, r); break;
    case S::place_card: draw_place_card(c, r); break;
    case S::confirm_identity: draw_confirm_identity(c, r); break;
    case S::form: draw_form(c, r, full); break;
    case S::materials: draw_materials(c, r); break;
    case S::review: draw_review(c, r); break;
    case S::submitting: draw_submitting(c, r); break;
    case S::receipt: draw_receipt(c, r); break;
    case S::rating: draw_rating(c, r, false); break;
    case S::done: draw_done(c, r); break;
    case S::progress_query: draw_progress_query(c, r, full); break;
    case S::progress_result: draw_progress_result(c, r); break;
    case S::complaint: draw_complaint(c, r, full); break;
    case S::complaint_done: draw_complaint_done(c, r); break;
    case S::take_ticket: draw_take_ticket(c, r); break;
  }
  draw_countdown(c, full);
}

}  // namespace bianmin::ui
