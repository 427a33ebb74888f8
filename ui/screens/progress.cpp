// 进度查询: scan a receipt's QR code or type its number; the status with
// its timeline, the promised deadline and an overdue warning; offline, the
// last known status and a clear word that it may be out of date.
#include <algorithm>
#include <cmath>

#include "base/bytes.h"
#include "screens/screens.h"

namespace bianmin::ui {

void draw_progress_query(ScreenContext& c, Rect r, const Rect& full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.view();
  Local& l = c.local;
  r = draw_header(c, r, ui.t("progress_query.title"), ui.t("progress_query.subtitle"));
  Nav nav;
  nav.primary_id = "progress.query";
  nav.primary_label = ui.t("progress.query");
  if (draw_nav(c, r, nav) && !l.receipt_input.empty()) ui.emit(session::QueryReceipt{l.receipt_input});
  draw_notice(c, r);
  Rect in = r.inset(m.pad());
  // Scan.
  Rect scan = in.cut_top(in.h * 0.45f);
  in.cut_top(m.gap() * 2);
  ui.fill(scan, color::kSurface, m.radius());
  Rect si = scan.inset(m.mm(6.0f));
  const float q = std::min(si.h * 0.55f, si.w * 0.4f);
  const Rect qr{si.x + (si.w - q) / 2, si.y, q, q};
  // A QR code drawn as a sign, not a real one.
  ui.frame(qr, color::kText, 6.0f);
  const float cell = q / 7;
  for (int i : {0, 2, 4, 6})
    for (int j : {0, 3, 6})
      if ((i + j) % 4 != 2) ui.fill({qr.x + static_cast<float>(i) * cell, qr.y + static_cast<float>(j) * cell, cell, cell}, color::kText);
  si.cut_top(q + m.mm(4.0f));
  TextStyle ts;
  ts.align = Align::center;
  ts.font = ui.title();
  ui.text(si, ui.t("progress_query.scan"), ts);
  // Or type.
  TextStyle ls;
  ls.color = color::kMuted;
  ui.text(in.cut_top(ui.body()->FontSize * 1.5f), ui.t("progress_query.or_type"), ls);
  const Rect field = in.cut_top(m.target() * 1.1f);
  if (draw_field(c, field, "progress.receipt_no", ui.t("progress.receipt_no"), l.receipt_input, true)) {
    l.edit_target = "receipt";
    l.edit_buffer = l.receipt_input;
    l.kbd = {};
    l.kbd.upper = true;
    l.kbd.dash = true;
    ui.changed();
  }
  if (v.progress_pending) {
    ui.fill(full, color::kShade);
    TextStyle ps;
    ps.font = ui.title();
    ps.color = color::kOnPrimary;
    ps.align = Align::center;
    ps.vcenter = true;
    ui.text(full, ui.t("progress.asking"), ps);
    ui.animate();
  }
  if (l.edit_target == "receipt") {
    if (draw_editor(c, full, ui.t("progress.receipt_no"), KeyboardKind::latin, 24)) {
      l.receipt_input = l.edit_buffer;
      secure_wipe(l.edit_buffer);
      l.edit_target.clear();
      if (!l.receipt_input.empty()) ui.emit(session::QueryReceipt{l.receipt_input});
      ui.changed();
    }
  }
}

void draw_progress_result(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.view();
  r = draw_header(c, r, ui.t("progress_result.title"), v.progress && !v.progress->item_name.empty() ? v.progress->item_name : "");
  Nav nav;
  nav.back = true;
  nav.primary_id = "done.finish";
  nav.primary_label = ui.t("done.finish");
  if (draw_nav(c, r, nav)) ui.emit(session::Finish{});
  draw_notice(c, r);
  Rect in = r.inset(m.pad());
  if (!v.progress) return;
  const auto& p = *v.progress;
  if (!p.online) {
    Rect band = in.cut_top(m.target());
    in.cut_top(m.gap());
    ui.fill(band, color::kWarnBg, m.radius());
    TextStyle ws;
    ws.color = color::kWarn;
    ws.vcenter = true;
    ui.text(band.inset(m.mm(4.0f), m.mm(1.0f)), ui.t(p.found ? "progress.offline_last_known" : "progress.offline"), ws);
  }
  if (!p.found) {
    TextStyle ts;
    ts.font = ui.title();
    ts.align = Align::center;
    ui.text(in.inset(0, m.mm(20.0f)), ui.t(p.online ? "progress.not_found" : "progress.not_found_offline"), ts);
    return;
  }
  // Current status, large.
  Rect head = in.cut_top(m.target() * 1.4f);
  in.cut_top(m.gap());
  ui.fill(head, color::kSelected, m.radius());
  TextStyle ss;
  ss.font = ui.display();
  ss.size = ui.title()->FontSize * 1.2f;
  ss.align = Align::center;
  ss.vcenter = true;
  ss.color = color::kPrimary;
  const std::string skey = "status." + p.status;
  ui.text(head.inset(m.mm(3.0f)), ui.has(skey) ? ui.t(skey) : p.status, ss);
  // Deadline and overdue warning.
  if (!p.deadline.empty()) {
    Rect d = in.cut_top(m.target() * 0.9f);
    in.cut_top(m.gap());
    ui.fill(d, p.overdue ? color::kDangerBg : color::kSurface, m.radius());
    TextStyle ds;
    ds.vcenter = true;
    ds.color = p.overdue ? color::kDanger : color::kText;
    ui.text(d.inset(m.mm(4.0f), m.mm(1.0f)),
            ui.f(p.overdue ? "progress.overdue" : "progress.deadline", {{"deadline", p.deadline.substr(0, 10)}}), ds);
  }
  // Timeline, newest last.
  TextStyle ls;
  ls.color = color::kMuted;
  ui.text(in.cut_top(ui.body()->FontSize * 1.5f), ui.t("progress.timeline"), ls);
  const float row_h = m.target() * 0.95f;
  const int max_rows = std::max(1, static_cast<int>(in.h / row_h));
  const int n = static_cast<int>(p.history.size());
  const int from = std::max(0, n - max_rows);
  for (int i = from; i < n; ++i) {
    const auto& [status, at] = p.history[static_cast<std::size_t>(i)];
    Rect row = in.cut_top(row_h);
    const float cx = row.x + m.mm(6.0f);
    if (i + 1 < n) ui.dl()->AddLine({cx, row.y + row_h / 2}, {cx, row.bottom() + row_h / 2}, color::kBorder, 3.0f);
    ui.dl()->AddCircleFilled({cx, row.y + row_h / 2}, m.mm(2.6f), i + 1 == n ? color::kPrimary : color::kBorder);
    Rect t = row;
    t.cut_left(m.mm(14.0f));
    TextStyle ts;
    ts.vcenter = true;
    ts.wrap = false;
    const std::string k = "status." + status;
    const Rect when = t.cut_right(t.w * 0.45f);
    ui.text(t, ui.has(k) ? ui.t(k) : status, ts);
    TextStyle ws;
    ws.vcenter = true;
    ws.color = color::kMuted;
    ws.align = Align::right;
    ws.size = ui.small_px();
    ui.text(when, at.size() >= 16 ? at.substr(0, 10) + " " + at.substr(11, 5) : at, ws);
  }
}

}  // namespace bianmin::ui
