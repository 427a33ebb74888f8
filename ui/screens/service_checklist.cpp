// Getting in and the overview: the unlock screen (PIN pad, card, or the
// enrolment QR on a fresh terminal), the checklist with the menu, and the
// enrolment by scanning.
#include <algorithm>

#include "base/bytes.h"
#include "screens/service_screens.h"

namespace bianmin::ui {
namespace {

ImU32 verdict_colour(diagnose::Verdict v) {
  return v == diagnose::Verdict::ok ? color::kOk : v == diagnose::Verdict::warn ? color::kWarn : color::kDanger;
}

}  // namespace

void draw_service_unlock(ScreenContext& c, const session::ServiceView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  r = draw_service_frame(c, v, r, ui.t("service.unlock.title"), false);
  TextStyle hs;
  hs.color = color::kMuted;
  std::string hint = ui.t(v.pin_set ? "service.unlock.hint" : "service.unlock.hint_card");
  if (!v.enrolled) hint += " " + ui.t("service.unlock.hint_fresh");
  ui.text(r.cut_top(ui.measure(hint, ui.body(), 0, r.w)), hint, hs);
  r.cut_top(m.gap());
  if (v.pin_set) {
    const PinKey key = pin_pad(c, r.cut_top(std::min(r.h, m.target() * 7)), ui.t("service.pin_prompt"));
    if (key != PinKey::none) ui.emit_service(session::Touch{});
    if (key == PinKey::ok) {
      ui.emit_service(session::EnterPin{c.local.edit_buffer});
      secure_wipe(c.local.edit_buffer);
    }
  }
}

void draw_service_checklist(ScreenContext& c, const session::ServiceView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  r = draw_service_frame(c, v, r, ui.t("service.checklist.title"), false);
  // The menu at the bottom: two rows of four, the factory reset last.
  Rect menu = r.cut_bottom(2 * m.target() + m.gap());
  r.cut_bottom(m.gap());
  struct Entry { const char* id; session::ServiceScreen to; };
  static const Entry kMenu[] = {{"enrol", session::ServiceScreen::enrol},     {"devices", session::ServiceScreen::devices},
                                {"settings", session::ServiceScreen::settings}, {"queue", session::ServiceScreen::queue},
                                {"export", session::ServiceScreen::export_logs}, {"update", session::ServiceScreen::system_update},
                                {"reset", session::ServiceScreen::factory_reset}};
  const auto cells = grid(menu, 2, 4, m.gap());
  for (std::size_t i = 0; i < std::size(kMenu); ++i) {
    const std::string id = std::string("service.menu.") + kMenu[i].id;
    if (ui.button(id, ui.t(id), cells[i], kMenu[i].to == session::ServiceScreen::factory_reset ? Style::danger : Style::secondary))
      ui.emit_service(session::ServiceGo{kMenu[i].to});
  }
  Rect actions = r.cut_bottom(m.target());
  r.cut_bottom(m.gap());
  if (ui.button("service.recheck", ui.t("service.recheck"), actions.cut_left(actions.w / 2 - m.gap() / 2), Style::primary))
    ui.emit_service(session::RunChecks{false});
  actions.cut_left(m.gap());
  if (ui.button("service.fix", ui.t("service.fix"), actions)) ui.emit_service(session::RunChecks{true});
  if (!v.report) return;
  // The checks, a row each: verdict, title and figure, advice when not ok.
  const auto& checks = v.report->checks;
  const float row_h = ui.small_px() * 3.6f;
  const int per_page = std::max(1, static_cast<int>((r.h - m.target() - m.gap()) / (row_h + m.mm(1.0f))));
  const Rect pager = r.cut_bottom(m.target());
  int& page = c.local.page("checks");
  const int first = ui.pager("checks.page", pager, static_cast<int>(checks.size()), per_page, page);
  for (int i = first; i < std::min<int>(first + per_page, static_cast<int>(checks.size())); ++i) {
    const auto& ck = checks[static_cast<std::size_t>(i)];
    Rect row = r.cut_top(row_h);
    r.cut_top(m.mm(1.0f));
    ui.fill(row, color::kSurface, m.radius());
    const ImU32 col = verdict_colour(ck.finding.verdict);
    ui.fill(row.cut_left(m.mm(3.0f)), col, m.radius());
    Rect in = row.inset(m.mm(3.0f), m.mm(1.0f));
    TextStyle vs;
    vs.color = col;
    vs.wrap = false;
    vs.size = ui.small_px();
    ui.text(in.cut_right(m.mm(16.0f)), diagnose::to_string(ck.finding.verdict), vs);
    TextStyle ts;
    ts.wrap = false;
    ts.size = ui.small_px();
    ui.text(in.cut_top(ui.small_px() * 1.2f), ck.title + (ck.finding.figure.empty() ? "" : " — " + ck.finding.figure), ts);
    if (!ck.finding.advice.empty()) {
      TextStyle as;
      as.color = color::kMuted;
      as.size = ui.small_px() * 0.95f;
      ui.text(in, ck.finding.advice, as);
    }
  }
}

void draw_service_enrol(ScreenContext& c, const session::ServiceView& v, Rect r) {
  Ui& ui = c.ui;
  r = draw_service_frame(c, v, r, ui.t("service.enrol.title"), true);
  TextStyle ts;
  ts.font = ui.title();
  ts.align = Align::center;
  ui.text(r.cut_top(ui.title()->FontSize * 3.0f), ui.t(v.enrolled ? "service.enrol.done" : "service.enrol.prompt"), ts);
  TextStyle hs;
  hs.color = color::kMuted;
  hs.align = Align::center;
  ui.text(r, ui.t("service.enrol.hint"), hs);
}

}  // namespace bianmin::ui
