// What every service screen has: the service bar, the notice and message,
// the idle countdown; and which screen to draw.
#include <algorithm>

#include "screens/service_screens.h"

namespace bianmin::ui {
namespace {

constexpr ImU32 kServiceBar = IM_COL32(45, 52, 64, 255);

void draw_service_countdown(ScreenContext& c, const session::ServiceView& v, const Rect& full) {
  if (v.countdown < 0) return;
  Ui& ui = c.ui;
  const auto& m = ui.m();
  ui.fill(full, color::kShade);
  const float w = std::min(full.w - 2 * m.pad(), m.mm(200.0f)), h = m.mm(90.0f);
  Rect box{full.x + (full.w - w) / 2, full.y + (full.h - h) / 2, w, h};
  ui.fill(box, color::kSurface, m.radius() * 2);
  Rect in = box.inset(m.pad());
  TextStyle ts;
  ts.font = ui.title();
  ts.align = Align::center;
  ui.text(in.cut_top(ui.title()->FontSize * 2.6f), ui.f("service.countdown", {{"s", std::to_string(v.countdown)}}), ts);
  if (ui.button("service.stay", ui.t("service.stay"), in.cut_bottom(m.target()), Style::primary))
    ui.emit_service(session::Touch{});
}

}  // namespace

Rect draw_service_frame(ScreenContext& c, const session::ServiceView& v, Rect r, std::string_view title,
                        bool back_to_checklist) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  // The bar: service mode is open, by whom; leave.
  Rect bar = r.cut_top(m.target() + m.mm(6.0f));
  ui.fill(bar, kServiceBar);
  Rect in = bar.inset(m.pad(), m.mm(3.0f));
  if (ui.button("service.leave", ui.t("service.leave"), in.cut_right(m.mm(60.0f)), Style::danger))
    ui.emit_service(session::LeaveService{});
  in.cut_right(m.gap());
  if (back_to_checklist) {
    if (ui.button("service.back", ui.t("service.back"), in.cut_left(m.mm(50.0f))))
      ui.emit_service(session::ServiceGo{session::ServiceScreen::checklist});
    in.cut_left(m.gap());
  }
  TextStyle ts;
  ts.color = color::kOnPrimary;
  ts.vcenter = true;
  ts.size = ui.small_px();
  std::string who = ui.t("service.mode");
  if (v.unlocked()) who += " · " + v.technician;
  if (!c.status.terminal_code.empty()) who += " · " + c.status.terminal_code;
  ui.text(in, who, ts);
  r = draw_header(c, r, title);
  r = r.inset(m.pad(), 0);
  r.cut_top(m.gap());
  if (!v.notice.empty()) {
    const bool bad = v.notice.find("wrong") != std::string::npos || v.notice.find("failed") != std::string::npos ||
                     v.notice.find("locked") != std::string::npos || v.notice.find("required") != std::string::npos ||
                     v.notice.find("not_") != std::string::npos;
    std::string text = ui.t("notice." + v.notice);
    if (v.notice == "service.credential_wrong" && v.attempts_left >= 0)
      text += " " + ui.f("service.attempts_left", {{"n", std::to_string(v.attempts_left)}});
    if (v.notice == "service.locked") text = ui.f("notice.service.locked", {{"s", std::to_string(v.locked_for_s)}});
    std::vector<std::string> lines{text};
    if (!v.message.empty()) lines.push_back(v.message);
    r.cut_top(draw_lines(c, r, lines, bad ? color::kDanger : color::kOk) + m.gap());
  } else if (!v.message.empty()) {
    r.cut_top(draw_lines(c, r, {v.message}, color::kText) + m.gap());
  }
  if (v.busy) {
    TextStyle bs;
    bs.color = color::kMuted;
    ui.text(r.cut_top(ui.body_px() * 1.6f), ui.t("service.busy"), bs);
    ui.animate();
  }
  return r;
}

float draw_lines(ScreenContext& c, Rect r, const std::vector<std::string>& lines, ImU32 colour) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  float h = m.mm(6.0f);
  for (const auto& l : lines) h += ui.measure(l, ui.body(), 0, r.w - m.mm(8.0f)) + m.mm(1.5f);
  Rect box = r.cut_top(h);
  ui.fill(box, color::kSurface, m.radius());
  ui.frame(box, colour, 2.0f, m.radius());
  Rect in = box.inset(m.mm(4.0f), m.mm(3.0f));
  TextStyle ts;
  ts.color = colour;
  for (const auto& l : lines) {
    const float lh = ui.measure(l, ui.body(), 0, in.w);
    ui.text(in.cut_top(lh), l, ts);
    in.cut_top(m.mm(1.5f));
  }
  return h;
}

void draw_service(ScreenContext& c, const session::ServiceView& v, Rect full) {
  if (c.local.last_screen != 1000 + static_cast<int>(v.screen)) {
    c.local.screen_changed();
    c.local.last_screen = 1000 + static_cast<int>(v.screen);
  }
  c.ui.fill(full, color::kBackground);
  Rect r = draw_status_bar(c, full);
  using S = session::ServiceScreen;
  switch (v.screen) {
    case S::closed: break;
    case S::unlock: draw_service_unlock(c, v, r); break;
    case S::checklist: draw_service_checklist(c, v, r); break;
    case S::enrol: draw_service_enrol(c, v, r); break;
    case S::devices: draw_service_devices(c, v, r); break;
    case S::device_test: draw_service_device_test(c, v, r); break;
    case S::settings: draw_service_settings(c, v, r, full); break;
    case S::queue: draw_service_queue(c, v, r, full); break;
    case S::export_logs: draw_service_export(c, v, r); break;
    case S::system_update: draw_service_update(c, v, r); break;
    case S::factory_reset: draw_service_reset(c, v, r, full); break;
  }
  draw_service_countdown(c, v, full);
}

}  // namespace bianmin::ui
