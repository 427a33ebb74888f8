// Status bar, headers, navigation, notices, the idle countdown and the
// overlays (text editor with keyboard, chooser) shared by the screens.
#include <algorithm>
#include <cmath>

#include "base/bytes.h"
#include "screens/screens.h"

namespace bianmin::ui {

void Local::ManualDraft::wipe() {
  secure_wipe(name);
  secure_wipe(id_number);
  id_type = "resident";
  reason.clear();
}

void Local::wipe() {
  counter_manual.wipe();
  counter_clerk_id.clear();
  secure_wipe(edit_buffer);
  edit_target.clear();
  chooser.clear();
  secure_wipe(complaint_text);
  secure_wipe(complaint_phone);
  secure_wipe(receipt_input);
  complaint_about.clear();
  rating_level = 0;
  rating_tags.clear();
  material.clear();
  home_rating = false;
  search_next = false;
  pages.clear();
  guide_tab = 0;
  by_department = false;
  kbd = {};
}

void Local::screen_changed() {
  counter_manual.wipe();
  secure_wipe(edit_buffer);
  edit_target.clear();
  chooser.clear();
  home_rating = false;
  pages.erase("form");
  pages.erase("guide");
  pages.erase("review");
}

namespace {

// Device trouble in words a resident understands, most serious first.
std::vector<std::string> trouble_keys(const ScreenContext& c) {
  std::vector<std::string> out;
  const auto& s = c.status;
  if (s.printer_state != "ok" && s.printer_state != "unknown" && s.printer_state != "paper_low")
    out.push_back("trouble.printer." + s.printer_state);
  else if (s.printer_state == "paper_low")
    out.push_back("trouble.printer.paper_low");
  if (!c.ui.face().reader_present) out.push_back("trouble.reader_absent");
  if (s.camera_state == "absent") out.push_back("trouble.camera_absent");
  return out;
}

}  // namespace

Rect draw_status_bar(ScreenContext& c, Rect full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Rect bar = full.cut_top(m.mm(13.0f));
  ui.fill(bar, color::kHeader);
  Rect in = bar.inset(m.mm(4.0f), 0);
  TextStyle ts;
  ts.color = color::kOnPrimary;
  ts.vcenter = true;
  ts.wrap = false;
  ts.size = ui.small_px();
  // Right: clock, then network.
  const Rect clock = in.cut_right(m.mm(26.0f));
  ts.align = Align::right;
  ts.size = ui.body_px();
  ui.text(clock, c.clock, ts);
  ts.size = ui.small_px();
  const Rect net = in.cut_right(m.mm(52.0f));
  const char* net_key = !c.status.online ? "status.checking" : *c.status.online ? "status.online" : "status.offline";
  const ImU32 dot = !c.status.online ? color::kMuted : *c.status.online ? IM_COL32(90, 220, 130, 255) : IM_COL32(255, 170, 60, 255);
  const float r = m.mm(2.0f);
  ui.text(net, ui.t(net_key), ts);
  const float tw = ui.body()->CalcTextSizeA(ts.size, 1e9f, 0, ui.t(net_key).c_str()).x;
  ui.dl()->AddCircleFilled({net.right() - tw - r * 2.5f, net.y + net.h / 2}, r, dot);
  // The hall display: the number called last, as a calling screen shows it.
  if (!c.status.called_ticket.empty()) {
    TextStyle cs = ts;
    cs.align = Align::right;
    cs.size = ui.body_px();
    cs.color = IM_COL32(255, 230, 160, 255);
    ui.text(in.cut_right(std::min(in.w * 0.4f, m.mm(110.0f))),
            ui.f("status.called", {{"number", c.status.called_ticket}, {"window", c.status.called_window}}), cs);
  }
  // The speaker button: guidance on or off for this resident's session.
  if (c.voice_on && !ui.face().attract) {
    const Rect b = in.cut_right(m.mm(40.0f)).inset(m.mm(1.0f), m.mm(1.5f));
    if (ui.button("voice.toggle", ui.t(*c.voice_on ? "voice.button.on" : "voice.button.off"), b, Style::secondary,
                  nullptr, ui.small_px()))
      ui.emit(session::SetVoice{!*c.voice_on});
    in.cut_right(m.mm(2.0f));
  }
  ts.align = Align::left;
  std::string left = ui.t("app.name");
  if (!c.status.hall_name.empty()) left += " · " + c.status.hall_name;
  ui.text(in, left, ts);

  // Device trouble: a banner under the bar, in words a resident understands.
  const auto troubles = trouble_keys(c);
  if (!troubles.empty() && !ui.face().attract) {
    std::string msg;
    for (const auto& k : troubles) {
      if (!msg.empty()) msg += ui.lang() == "en" ? "  " : "；";
      msg += ui.t(k);
    }
    const Rect banner = full.cut_top(m.mm(12.0f));
    ui.fill(banner, color::kWarnBg);
    TextStyle ws;
    ws.color = color::kWarn;
    ws.vcenter = true;
    ws.size = ui.small_px();
    ui.text(banner.inset(m.mm(4.0f), m.mm(1.0f)), msg, ws);
  }
  return full;
}

Rect draw_header(ScreenContext& c, Rect r, std::string_view title, std::string_view subtitle) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const float th = ui.title()->FontSize;
  const float w = r.w - 2 * m.pad();
  const float title_h = std::min(ui.measure(title, ui.title(), 0, w), th * 2.4f);
  float h = m.mm(5.0f) + title_h + m.mm(4.0f);
  float sub_h = 0;
  if (!subtitle.empty()) {
    sub_h = std::min(ui.measure(subtitle, ui.body(), ui.small_px(), w), ui.small_px() * 2.4f);
    h += sub_h + m.mm(2.0f);
  }
  Rect head = r.cut_top(h);
  ui.fill(head, color::kSurface);
  ui.fill({head.x, head.bottom() - 2, head.w, 2}, color::kBorder);
  Rect in = head.inset(m.pad(), 0);
  in.cut_top(m.mm(5.0f));
  TextStyle ts;
  ts.font = ui.title();
  ui.text(in.cut_top(title_h), title, ts);
  if (!subtitle.empty()) {
    in.cut_top(m.mm(2.0f));
    TextStyle ss;
    ss.color = color::kMuted;
    ss.size = ui.small_px();
    ui.text(in.cut_top(sub_h), subtitle, ss);
  }
  return r;
}

bool draw_nav(ScreenContext& c, Rect& r, const Nav& nav) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Rect bar = r.cut_bottom(ui.m().target() + 2 * m.pad() * 0.6f);
  ui.fill(bar, color::kSurface);
  ui.fill({bar.x, bar.y, bar.w, 2}, color::kBorder);
  Rect in = bar.inset(m.pad(), m.pad() * 0.6f);
  const float bw = std::max(m.mm(45.0f), in.w * (m.portrait ? 0.24f : 0.16f));
  bool primary = false;
  if (nav.back) {
    if (ui.button("nav.back", ui.t("nav.back"), in.cut_left(bw))) ui.emit(session::GoBack{});
    in.cut_left(m.gap());
  }
  if (nav.home) {
    if (ui.button("nav.home", ui.t("nav.home"), in.cut_left(bw))) ui.emit(session::GoHome{});
    in.cut_left(m.gap());
  }
  if (!nav.primary_id.empty()) {
    const float pw = std::min(in.w, std::max(bw * 1.4f, m.mm(70.0f)));
    primary = ui.button(nav.primary_id, nav.primary_label, in.cut_right(pw), nav.primary_style);
  }
  return primary;
}

Rect draw_step(ScreenContext& c, Rect r, std::string_view title, std::string_view subtitle,
               const std::string& primary_id, bool* primary) {
  r = draw_header(c, r, title, subtitle);
  Nav nav;
  nav.primary_id = primary_id;
  if (!primary_id.empty()) nav.primary_label = c.ui.t(primary_id);
  const bool tapped = draw_nav(c, r, nav);
  if (primary) *primary = tapped;
  draw_notice(c, r);
  return r;
}

void draw_notice(ScreenContext& c, Rect& r) {
  Ui& ui = c.ui;
  const auto& v = ui.face();
  if (v.notice.empty()) return;
  const auto& m = ui.m();
  const std::string key = "notice." + v.notice;
  const float w = r.w - 2 * m.pad() - 2 * m.mm(4.0f);
  const float h = ui.measure(ui.t(key), ui.body(), 0, w) + m.mm(8.0f);
  Rect band = r.cut_top(h + m.mm(3.0f)).inset(m.pad(), 0);
  band.cut_top(m.mm(3.0f));
  const bool bad = v.notice.find("failed") != std::string::npos || v.notice.find("invalid") != std::string::npos ||
                   v.notice.find("full") != std::string::npos || v.notice.find("required") != std::string::npos;
  ui.fill(band, bad ? color::kDangerBg : color::kWarnBg, m.radius());
  TextStyle ts;
  ts.color = bad ? color::kDanger : color::kWarn;
  ts.vcenter = true;
  ui.text(band.inset(m.mm(4.0f)), ui.t(key), ts);
}

namespace {

// A box in the middle of a shaded screen; returns its inside.
Rect modal_box(Ui& ui, const Rect& full, float height_mm) {
  const auto& m = ui.m();
  ui.fill(full, color::kShade);
  const float w = std::min(full.w - 2 * m.pad(), m.mm(200.0f));
  const float h = m.mm(height_mm);
  Rect box{full.x + (full.w - w) / 2, full.y + (full.h - h) / 2, w, h};
  ui.fill(box, color::kSurface, m.radius() * 2);
  return box.inset(m.pad());
}

}  // namespace

void draw_updating(ScreenContext& c, const Rect& full) {
  Ui& ui = c.ui;
  Rect in = modal_box(ui, full, ui.m().elder ? 72.0f : 58.0f);
  TextStyle ts;
  ts.font = ui.title();
  ts.align = Align::center;
  ui.text(in.cut_top(ui.title()->FontSize * 1.6f), ui.t("updating.title"), ts);
  TextStyle body;
  body.align = Align::center;
  body.color = color::kMuted;
  ui.text(in, ui.t("updating.body"), body);
}

void draw_countdown(ScreenContext& c, const Rect& full) {
  Ui& ui = c.ui;
  const auto& v = ui.face();
  if (v.countdown < 0) return;
  const auto& m = ui.m();
  Rect in = modal_box(ui, full, m.elder ? 130.0f : 110.0f);
  TextStyle ts;
  ts.font = ui.title();
  ts.align = Align::center;
  ui.text(in.cut_top(ui.title()->FontSize * 1.4f), ui.t("countdown.title"), ts);
  TextStyle big;
  big.font = ui.display();
  big.align = Align::center;
  big.color = color::kDanger;
  big.vcenter = true;
  ui.text(in.cut_top(ui.display()->FontSize * 1.2f), std::to_string(v.countdown), big);
  TextStyle body;
  body.align = Align::center;
  body.color = color::kMuted;
  const Rect btn = in.cut_bottom(m.target());
  ui.text(in, ui.t("countdown.body"), body);
  if (ui.button("countdown.continue", ui.t("countdown.continue"), btn, Style::primary)) ui.emit(session::Touch{});
}

bool draw_editor(ScreenContext& c, const Rect& full, std::string_view label, KeyboardKind kind, int max_chars) {
  Ui& ui = c.ui;
  Local& l = c.local;
  const auto& m = ui.m();
  l.kbd.kind = kind;
  const float kh = keyboard_height(ui, kind);
  Rect rest = full;
  const Rect kb = rest.cut_bottom(kh);
  // The field being edited, just above the keyboard.
  const bool multiline = kind == KeyboardKind::pinyin;
  const float field_h = (multiline ? m.mm(m.elder ? 62.0f : 50.0f) : m.mm(m.elder ? 42.0f : 34.0f));
  Rect panel = rest.cut_bottom(field_h + m.mm(16.0f));
  ui.fill(rest, color::kShade);
  ui.fill(panel, color::kSurface);
  Rect in = panel.inset(m.pad(), m.mm(3.0f));
  TextStyle ls;
  ls.color = color::kMuted;
  ls.size = ui.small_px();
  ui.text(in.cut_top(ui.small_px() * 1.3f), label, ls);
  in.cut_top(m.mm(1.5f));
  ui.frame(in, color::kPrimary, 3.0f, m.radius());
  TextStyle vs;
  vs.vcenter = !multiline;
  Rect vr = in.inset(m.mm(3.0f), m.mm(2.0f));
  std::string shown = l.edit_buffer;
  // A blinking caret would need 60 fps; a steady one costs nothing.
  shown += "▏";
  ui.text(vr, shown, vs);
  secure_wipe(shown);
  // Tapping the shade closes without keeping the text.
  if (ui.area("editor.cancel", rest, Style::quiet, nullptr)) {
    secure_wipe(l.edit_buffer);
    l.edit_target.clear();
    if (c.ime) c.ime->clear();
    ui.changed();
    return false;
  }
  return keyboard(ui, kb, l.kbd, l.edit_buffer, c.ime, max_chars);
}

int draw_chooser(ScreenContext& c, const Rect& full, std::string_view title, const std::vector<std::string>& options,
                 int selected) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  ui.fill(full, color::kShade);
  const float w = std::min(full.w - 2 * m.pad(), m.mm(m.portrait ? 250.0f : 300.0f));
  const float h = full.h * (m.portrait ? 0.78f : 0.86f);
  Rect box{full.x + (full.w - w) / 2, full.y + (full.h - h) / 2, w, h};
  ui.fill(box, color::kSurface, m.radius() * 2);
  Rect in = box.inset(m.pad());
  TextStyle ts;
  ts.font = ui.title();
  ui.text(in.cut_top(ui.title()->FontSize * 1.5f), title, ts);
  int result = -1;
  if (ui.button("chooser.close", ui.t("chooser.close"), in.cut_bottom(m.target()))) result = -2;
  in.cut_bottom(m.gap());
  const Rect pager = in.cut_bottom(m.target());
  in.cut_bottom(m.gap());
  const float row_h = m.target();
  const int cols = (!m.portrait && options.size() > 6) ? 2 : 1;
  const int per_col = std::max(1, static_cast<int>((in.h + m.gap()) / (row_h + m.gap())));
  const int per_page = per_col * cols;
  int& page = c.local.page("chooser");
  const int first = ui.pager("chooser.page", pager, static_cast<int>(options.size()), per_page, page);
  const auto cells = grid({in.x, in.y, in.w, static_cast<float>(per_col) * (row_h + m.gap()) - m.gap()}, per_col, cols, m.gap());
  for (int i = 0; i < per_page && first + i < static_cast<int>(options.size()); ++i) {
    const int idx = first + i;
    // Column-major, so a two-column list reads down first.
    const int col = i / per_col, row = i % per_col;
    const Rect cell = cells[static_cast<std::size_t>(row * cols + col)];
    if (ui.button("chooser." + std::to_string(idx), options[static_cast<std::size_t>(idx)], cell,
                  idx == selected ? Style::selected : Style::secondary))
      result = idx;
  }
  if (result != -1) c.local.pages.erase("chooser");
  return result;
}

bool draw_field(ScreenContext& c, const Rect& r, std::string_view id, std::string_view label, std::string_view value,
                bool editable, std::string_view problem) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  bool tapped = false;
  auto content = [&](const Rect& box) {
    Rect in = box.inset(m.mm(3.5f), m.mm(2.0f));
    TextStyle ls;
    ls.color = color::kMuted;
    ls.size = ui.small_px();
    ls.wrap = false;
    Rect top = in.cut_top(ui.small_px() * 1.25f);
    if (editable) {
      TextStyle es = ls;
      es.align = Align::right;
      es.color = color::kPrimary;
      ui.text(top.cut_right(m.mm(30.0f)), ui.t("form.tap_to_edit"), es);
    }
    ui.text(top, label, ls);
    TextStyle vs;
    vs.vcenter = true;
    vs.color = value.empty() ? color::kMuted : color::kText;
    Rect val = in;
    if (!problem.empty()) {
      TextStyle ps;
      ps.color = color::kDanger;
      ps.size = ui.small_px();
      ui.text(val.cut_bottom(ui.small_px() * 1.2f), problem, ps);
    }
    ui.text(val, value.empty() ? (editable ? ui.t("form.empty") : "—") : value, vs);
  };
  if (editable) {
    tapped = ui.area(id, r, Style::secondary, content);
    if (!problem.empty()) ui.frame(r, color::kDanger, 3.0f, m.radius());
  } else {
    ui.fill(r, IM_COL32(236, 240, 246, 255), m.radius());
    content(r);
  }
  return tapped;
}

std::string issue_text(const ScreenContext& c, const domain::ValidationIssue& i) {
  const std::string key = "issue." + i.rule;
  if (c.ui.has(key)) return c.ui.t(key);
  return c.ui.lang() == "en" ? i.en : i.zh;
}

std::string problem_for(const ScreenContext& c, std::string_view field, std::string_view value) {
  for (const auto& i : c.ui.app().issues)
    // "required" is answered once something is typed; the next check says more.
    if (i.field == field && !(i.rule == "required" && !value.empty())) return issue_text(c, i);
  return {};
}

}  // namespace bianmin::ui
