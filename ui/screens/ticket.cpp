// 取号: the resident chooses the service line, the number is printed, and
// the screen shows it large (a resident whose slip did not print can note
// it down).
#include "screens/screens.h"

namespace bianmin::ui {

void draw_take_ticket(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.view();
  r = draw_header(c, r, ui.t("ticket.title"), ui.t(v.ticket ? "ticket.subtitle_done" : "ticket.subtitle"));
  Nav nav;
  nav.back = !v.ticket;
  nav.home = !v.ticket_pending;
  draw_nav(c, r, nav);
  draw_notice(c, r);
  Rect in = r.inset(m.pad());
  if (v.ticket && v.ticket->ticket) {
    const auto& t = *v.ticket->ticket;
    in.cut_top(in.h * 0.08f);
    TextStyle ls;
    ls.font = ui.title();
    ls.align = Align::center;
    ui.text(in.cut_top(ui.title()->FontSize * 1.6f), t.line_name, ls);
    TextStyle big;
    big.font = ui.display();
    big.size = ui.display()->FontSize * 1.6f;
    big.align = Align::center;
    big.color = color::kPrimary;
    ui.text(in.cut_top(big.size * 1.3f), t.number, big);
    TextStyle ts;
    ts.align = Align::center;
    ui.text(in.cut_top(ui.body()->FontSize * 2), ui.f("ticket.ahead", {{"n", std::to_string(t.ahead)}}), ts);
    TextStyle hs = ts;
    hs.color = color::kMuted;
    ui.text(in.cut_top(ui.body()->FontSize * 4), ui.t(v.ticket->printed ? "ticket.take_slip" : "ticket.note_number"), hs);
    const float bw = std::min(in.w, m.mm(150.0f));
    const Rect btn{in.x + (in.w - bw) / 2, in.y + m.mm(8.0f), bw, m.target() * 1.2f};
    if (ui.button("done.finish", ui.t("done.finish"), btn, Style::primary, ui.title())) ui.emit(session::Finish{});
    return;
  }
  if (v.ticket_pending) {
    TextStyle ts;
    ts.font = ui.title();
    ts.align = Align::center;
    ts.vcenter = true;
    ui.text(in.cut_top(in.h * 0.4f), ui.t("ticket.printing"), ts);
    return;
  }
  // One tile per service line.
  const float h = std::min(m.target() * 1.6f, (in.h - m.gap() * static_cast<float>(v.lines.size())) /
                                                  static_cast<float>(std::max<std::size_t>(1, v.lines.size())));
  for (const auto& line : v.lines) {
    const Rect tile = in.cut_top(h);
    in.cut_top(m.gap());
    const bool tapped = ui.area("ticket.line." + line.letter, tile, Style::secondary, [&](const Rect& box) {
      Rect cell = box.inset(m.mm(6.0f), 0);
      TextStyle ls;
      ls.font = ui.display();
      ls.color = color::kPrimary;
      ls.vcenter = true;
      ls.wrap = false;
      ui.text(cell.cut_left(m.mm(30.0f)), line.letter, ls);
      TextStyle ns;
      ns.font = ui.title();
      ns.vcenter = true;
      ui.text(cell, line.name, ns);
    });
    if (tapped) ui.emit(session::ChooseLine{line.letter});
  }
}

}  // namespace bianmin::ui
