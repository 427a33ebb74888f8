// The service screens: one draw function per session::ServiceScreen,
// reading the ServiceView and emitting service intents (Ui::emit_service).
// They share the resident screens' widgets and overlays (a separate Local,
// wiped when service mode closes), and a frame of their own: a dark bar
// that says service mode is open and by whom, and the way out.
#pragma once

#include "screens/screens.h"
#include "session/service_view.h"

namespace bianmin::ui {

void draw_service(ScreenContext& c, const session::ServiceView& v, Rect full);

// ---- shared frame (service_chrome.cpp) ----
// The bar, a title, the "back to the checklist" and "leave" buttons, the
// notice and the worker's message; returns the content area.
Rect draw_service_frame(ScreenContext& c, const session::ServiceView& v, Rect r, std::string_view title,
                        bool back_to_checklist);
// A list of text lines in a box (a test's result, a message); its height.
float draw_lines(ScreenContext& c, Rect r, const std::vector<std::string>& lines, ImU32 colour);

// ---- screens ----
void draw_service_unlock(ScreenContext& c, const session::ServiceView& v, Rect r);
void draw_service_checklist(ScreenContext& c, const session::ServiceView& v, Rect r);
void draw_service_enrol(ScreenContext& c, const session::ServiceView& v, Rect r);
void draw_service_devices(ScreenContext& c, const session::ServiceView& v, Rect r);
void draw_service_device_test(ScreenContext& c, const session::ServiceView& v, Rect r);
void draw_service_settings(ScreenContext& c, const session::ServiceView& v, Rect r, const Rect& full);
void draw_service_queue(ScreenContext& c, const session::ServiceView& v, Rect r, const Rect& full);
void draw_service_export(ScreenContext& c, const session::ServiceView& v, Rect r);
void draw_service_reset(ScreenContext& c, const session::ServiceView& v, Rect r, const Rect& full);
void draw_service_update(ScreenContext& c, const session::ServiceView& v, Rect r);

}  // namespace bianmin::ui
