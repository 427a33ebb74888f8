// The counter's screens (landscape, mouse and keyboard as well as touch):
// one draw function per session::CounterScreen, reading the ClerkView and
// emitting the clerk's intents (ui.emit_counter). The application's steps —
// form, materials, review — are the kiosk's own screens (apply.cpp), drawn
// in the counter's work area: the same rules, the same words.
#pragma once

#include "screens/screens.h"
#include "session/clerk_view.h"

namespace bianmin::ui {

void draw_counter(ScreenContext& c, const session::ClerkView& v, Rect full);

// The bar under the status bar: window, clerk, the number being served,
// how many wait; sign-out. Returns the rest.
Rect draw_counter_bar(ScreenContext& c, const session::ClerkView& v, Rect r);

void draw_counter_sign_in(ScreenContext& c, const session::ClerkView& v, Rect r, const Rect& full);
void draw_counter_line(ScreenContext& c, const session::ClerkView& v, Rect r);
void draw_counter_item(ScreenContext& c, const session::ClerkView& v, Rect r, const Rect& full);
void draw_counter_identify(ScreenContext& c, const session::ClerkView& v, Rect r);
void draw_counter_manual(ScreenContext& c, const session::ClerkView& v, Rect r, const Rect& full);
void draw_counter_accepted(ScreenContext& c, const session::ClerkView& v, Rect r);

}  // namespace bianmin::ui
