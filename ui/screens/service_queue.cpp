// Acting on what is stored: quarantined applications (retry, or discard
// with a reason), logs to a USB stick, and the factory reset.
#include <algorithm>

#include "base/bytes.h"
#include "screens/service_screens.h"

namespace bianmin::ui {

void draw_service_queue(ScreenContext& c, const session::ServiceView& v, Rect r, const Rect& full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Local& l = c.local;
  r = draw_service_frame(c, v, r, ui.t("service.queue.title"), true);
  if (v.queue.empty() && !v.busy) {
    TextStyle ts;
    ts.color = color::kMuted;
    ui.text(r.cut_top(ui.body_px() * 2), ui.t("service.queue.empty"), ts);
  }
  const float row_h = m.target() + ui.small_px() * 2.6f;
  const int per_page = std::max(1, static_cast<int>((r.h - m.target()) / (row_h + m.gap())));
  const Rect pager = r.cut_bottom(m.target());
  int& page = l.page("queue");
  const int first = ui.pager("queue.page", pager, static_cast<int>(v.queue.size()), per_page, page);
  for (int i = first; i < std::min<int>(first + per_page, static_cast<int>(v.queue.size())); ++i) {
    const auto& e = v.queue[static_cast<std::size_t>(i)];
    Rect row = r.cut_top(row_h);
    r.cut_top(m.gap());
    ui.fill(row, color::kSurface, m.radius());
    Rect in = row.inset(m.mm(3.0f), m.mm(2.0f));
    Rect buttons = in.cut_bottom(m.target());
    TextStyle ts;
    ts.size = ui.small_px();
    ui.text(in, e.item_code + "  " + e.since + "\n" + e.error, ts);
    const std::string n = std::to_string(i);
    if (ui.button("queue.retry." + n, ui.t("service.queue.retry"), buttons.cut_left(buttons.w / 2 - m.gap() / 2)))
      ui.emit_service(session::RetryApplication{e.client_id});
    buttons.cut_left(m.gap());
    if (ui.button("queue.discard." + n, ui.t("service.queue.discard"), buttons, Style::danger)) {
      l.edit_target = "discard:" + e.client_id;
      secure_wipe(l.edit_buffer);
      ui.changed();
    }
  }
  // The reason, typed (pinyin or letters): it goes into the audit chain.
  if (l.edit_target.rfind("discard:", 0) == 0 &&
      draw_editor(c, full, ui.t("service.queue.reason"), KeyboardKind::pinyin, 60)) {
    ui.emit_service(session::DiscardApplication{l.edit_target.substr(8), l.edit_buffer});
    secure_wipe(l.edit_buffer);
    l.edit_target.clear();
  }
}

void draw_service_export(ScreenContext& c, const session::ServiceView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  r = draw_service_frame(c, v, r, ui.t("service.export.title"), true);
  TextStyle hs;
  hs.color = color::kMuted;
  const std::string hint = ui.t("service.export.hint");
  ui.text(r.cut_top(ui.measure(hint, ui.body(), 0, r.w)), hint, hs);
  r.cut_top(m.gap());
  if (!v.busy && ui.button("service.export", ui.t("service.export.go"), r.cut_top(m.target()), Style::primary))
    ui.emit_service(session::ExportLogs{});
}

void draw_service_reset(ScreenContext& c, const session::ServiceView& v, Rect r, const Rect& full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Local& l = c.local;
  r = draw_service_frame(c, v, r, ui.t("service.reset.title"), true);
  TextStyle ws;
  ws.color = color::kDanger;
  const std::string warning = ui.f("service.reset.warning", {{"code", v.reset_code}});
  ui.text(r.cut_top(ui.measure(warning, ui.body(), 0, r.w)), warning, ws);
  r.cut_top(m.gap());
  TextStyle cs;
  cs.font = ui.display();
  cs.align = Align::center;
  ui.text(r.cut_top(ui.display()->FontSize * 1.3f), v.reset_code, cs);
  r.cut_top(m.gap());
  if (!v.busy && ui.button("reset.type", ui.t("service.reset.type"), r.cut_top(m.target()), Style::danger)) {
    l.edit_target = "reset";
    secure_wipe(l.edit_buffer);
    ui.changed();
  }
  if (l.edit_target == "reset" && draw_editor(c, full, ui.t("service.reset.type"), KeyboardKind::digits, 4)) {
    ui.emit_service(session::ConfirmFactoryReset{l.edit_buffer});
    secure_wipe(l.edit_buffer);
    l.edit_target.clear();
  }
}

}  // namespace bianmin::ui
