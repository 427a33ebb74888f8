// The counter's frame and its own screens around an application: signing
// in, the waiting line, and the accepted application with its slip.
#include <algorithm>

#include "base/bytes.h"
#include "screens/counter_screens.h"

namespace bianmin::ui {

void draw_counter(ScreenContext& c, const session::ClerkView& v, Rect full) {
  Ui& ui = c.ui;
  if (c.local.last_screen != static_cast<int>(v.screen)) {
    c.local.screen_changed();
    c.local.last_screen = static_cast<int>(v.screen);
  }
  ui.fill(full, color::kBackground);
  Rect r = draw_status_bar(c, full);
  r = draw_counter_bar(c, v, r);
  using S = session::CounterScreen;
  switch (v.screen) {
    case S::sign_in: draw_counter_sign_in(c, v, r, full); break;
    case S::waiting_line: draw_counter_line(c, v, r); break;
    case S::choose_item: draw_counter_item(c, v, r, full); break;
    case S::identify: draw_counter_identify(c, v, r); break;
    case S::manual_identity: draw_counter_manual(c, v, r, full); break;
    case S::form: draw_form(c, r, full); break;
    case S::materials: draw_materials(c, r); break;
    case S::review: draw_review(c, r); break;
    case S::accepting: draw_submitting(c, r); break;
    case S::accepted: draw_counter_accepted(c, v, r); break;
  }
  draw_countdown(c, full);
}

Rect draw_counter_bar(ScreenContext& c, const session::ClerkView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Rect bar = r.cut_top(m.mm(16.0f));
  ui.fill(bar, color::kSurface);
  ui.fill({bar.x, bar.bottom() - 2, bar.w, 2}, color::kBorder);
  Rect in = bar.inset(m.pad(), m.mm(2.0f));
  TextStyle ts;
  ts.vcenter = true;
  ts.wrap = false;
  // The clerk's language, kept across sign-outs and locks.
  if (ui.button("counter.lang", ui.t("home.lang"), in.cut_right(m.mm(36.0f)), Style::quiet)) {
    ui.emit_counter(session::SetLanguage{ui.lang() == "en" ? "zh-CN" : "en"});
    ui.changed();
  }
  in.cut_right(m.gap());
  std::string left = ui.f("counter.bar.window", {{"window", c.counter_window}});
  if (v.signed_in()) left += "  ·  " + ui.f("counter.bar.clerk", {{"name", v.clerk_name}, {"id", v.clerk_id}});
  if (v.signed_in()) {
    if (ui.button("counter.sign_out", ui.t("counter.sign_out"), in.cut_right(m.mm(40.0f)), Style::quiet)) {
      ui.emit_counter(session::SignOut{});
      ui.changed();
    }
    in.cut_right(m.gap());
    TextStyle ws = ts;
    ws.align = Align::right;
    ws.color = color::kMuted;
    std::string right = ui.f("counter.bar.waiting", {{"n", std::to_string(v.waiting.size())}});
    if (v.ticket) right = ui.f("counter.bar.serving", {{"number", v.ticket->number}}) + "  ·  " + right;
    ui.text(in.cut_right(in.w * 0.45f), right, ws);
  }
  ui.text(in, left, ts);
  return r;
}

void draw_counter_sign_in(ScreenContext& c, const session::ClerkView& v, Rect r, const Rect& full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Local& l = c.local;
  // The number is typed in the editor; the PIN pad owns edit_buffer otherwise.
  if (l.chooser.empty() && l.edit_target.empty() && l.counter_clerk_id.empty()) l.counter_clerk_id = v.last_clerk_id;
  const float w = std::min(r.w - 2 * m.pad(), m.mm(150.0f));
  Rect card{r.x + (r.w - w) / 2, r.y + m.pad(), w, r.h - 2 * m.pad()};
  ui.fill(card, color::kSurface, m.radius() * 2);
  Rect in = card.inset(m.pad());
  TextStyle ts;
  ts.font = ui.title();
  ts.align = Align::center;
  ui.text(in.cut_top(ui.title()->FontSize * 1.5f), ui.t("counter.sign_in.title"), ts);
  draw_notice(c, in);
  in.cut_top(m.gap());
  if (draw_field(c, in.cut_top(m.target() * 1.1f), "counter.clerk_id", ui.t("counter.sign_in.clerk_id"),
                 l.counter_clerk_id, true)) {
    l.edit_target = "counter.clerk_id";
    secure_wipe(l.edit_buffer);
    l.edit_buffer = l.counter_clerk_id;
    l.kbd = {};
    l.kbd.kind = KeyboardKind::latin;
    ui.changed();
  }
  in.cut_top(m.gap());
  if (v.busy) {
    TextStyle bs;
    bs.align = Align::center;
    bs.color = color::kMuted;
    ui.text(in.cut_top(m.target()), ui.t("counter.sign_in.checking"), bs);
    return;
  }
  if (l.edit_target.empty()) {
    const PinKey key = pin_pad(c, in, ui.t("counter.sign_in.pin"));
    if (key != PinKey::none) ui.emit_counter(session::Touch{});
    if (key == PinKey::ok) {
      ui.emit_counter(session::ClerkSignIn{l.counter_clerk_id, l.edit_buffer});
      secure_wipe(l.edit_buffer);
    }
    return;
  }
  if (draw_editor(c, full, ui.t("counter.sign_in.clerk_id"), KeyboardKind::latin, 32)) {
    l.counter_clerk_id = l.edit_buffer;
    secure_wipe(l.edit_buffer);
    l.edit_target.clear();
    ui.changed();
  }
}

void draw_counter_line(ScreenContext& c, const session::ClerkView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  r = draw_header(c, r, ui.t("counter.line.title"), ui.f("counter.line.subtitle", {{"n", std::to_string(v.waiting.size())}}));
  draw_notice(c, r);
  Rect in = r.inset(m.pad());
  Rect actions = in.cut_right(std::min(in.w * 0.36f, m.mm(140.0f)));
  in.cut_right(m.pad());
  // The line, oldest first: what "call next" will take.
  const int per_page = std::max(1, static_cast<int>((in.h - m.target() - m.gap()) / (m.target() * 0.8f + m.gap())));
  const Rect pager = in.cut_bottom(m.target());
  const int first = ui.pager("counter.line.page", pager, static_cast<int>(v.waiting.size()), per_page, c.local.page("line"));
  if (v.line_unknown || v.waiting.empty()) {
    TextStyle es;
    es.color = v.line_unknown ? color::kWarn : color::kMuted;
    es.align = Align::center;
    ui.text(in.cut_top(m.target()), ui.t(v.line_unknown ? "counter.line.unknown" : "counter.line.empty"), es);
  }
  for (int i = first; i < std::min<int>(first + per_page, static_cast<int>(v.waiting.size())); ++i) {
    const auto& t = v.waiting[static_cast<std::size_t>(i)];
    Rect row = in.cut_top(m.target() * 0.8f);
    in.cut_top(m.gap());
    ui.fill(row, color::kSurface, m.radius());
    Rect cell = row.inset(m.mm(4.0f), 0);
    TextStyle ns;
    ns.font = ui.title();
    ns.vcenter = true;
    ns.wrap = false;
    ui.text(cell.cut_left(m.mm(34.0f)), t.number, ns);
    TextStyle ls;
    ls.vcenter = true;
    ls.wrap = false;
    ls.color = color::kMuted;
    const std::string at = t.issued_at.size() >= 16 ? t.issued_at.substr(11, 5) : t.issued_at;
    ui.text(cell, t.line_name + "  ·  " + ui.f("counter.line.taken_at", {{"time", at}}), ls);
  }
  if (ui.button("counter.call_next", ui.t("counter.call_next"), actions.cut_top(m.target() * 1.4f), Style::primary, ui.title())) {
    ui.emit_counter(session::CallNext{});
    ui.changed();
  }
  actions.cut_top(m.gap() * 2);
  if (ui.button("counter.no_ticket", ui.t("counter.no_ticket"), actions.cut_top(m.target()), Style::secondary)) {
    ui.emit_counter(session::ServeWithoutTicket{});
    ui.changed();
  }
  if (!c.status.called_ticket.empty()) {
    actions.cut_top(m.gap() * 2);
    TextStyle hs;
    hs.color = color::kMuted;
    hs.size = ui.small_px();
    ui.text(actions, ui.f("counter.line.last_called", {{"number", c.status.called_ticket}, {"window", c.status.called_window}}), hs);
  }
}

void draw_counter_accepted(ScreenContext& c, const session::ClerkView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  r = draw_header(c, r, ui.t("counter.accepted.title"), v.item ? v.item->name : "");
  Rect nav = r.cut_bottom(m.target() + 2 * m.pad()).inset(m.pad());
  draw_notice(c, r);
  Rect in = r.inset(m.pad());
  TextStyle big;
  big.font = ui.display();
  big.align = Align::center;
  big.color = color::kOk;
  if (v.submitted) ui.text(in.cut_top(ui.display()->FontSize * 1.4f), v.submitted->receipt_no, big);
  TextStyle ts;
  ts.align = Align::center;
  const char* key = v.print == session::PrintState::printing  ? "counter.accepted.printing"
                    : v.print == session::PrintState::failed  ? "counter.accepted.print_failed"
                                                              : "counter.accepted.printed";
  ui.text(in.cut_top(ui.title()->FontSize * 2), ui.t(key), ts);
  const auto cells = columns(nav, 2, m.gap());
  if (v.print == session::PrintState::failed &&
      ui.button("counter.reprint", ui.t("counter.reprint"), cells[0], Style::secondary)) {
    ui.emit(session::ReprintReceipt{});
    ui.changed();
  }
  if (v.print != session::PrintState::printing &&
      ui.button("counter.next", ui.t("counter.next"), cells[1], Style::primary)) {
    ui.emit_counter(session::NextApplicant{});
    ui.changed();
  }
}

}  // namespace bianmin::ui
