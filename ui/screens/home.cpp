// Attract (idle), home, and the closing screens.
#include <cmath>

#include "screens/screens.h"

namespace bianmin::ui {

void draw_attract(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  ui.fill(r, color::kHeader);
  // The whole screen is one target: any touch starts a session.
  if (ui.area("attract.start", r, Style::quiet, nullptr)) ui.emit(session::Touch{});
  ui.fill(r, color::kHeader);
  Rect in = r.inset(m.pad() * 2);
  TextStyle big;
  big.font = ui.display();
  big.color = color::kOnPrimary;
  big.align = Align::center;
  big.vcenter = true;
  const float band = r.h * 0.22f;
  in.cut_top(r.h * (m.portrait ? 0.22f : 0.14f));
  ui.text(in.cut_top(band), ui.t("attract.title"), big);
  TextStyle sub;
  sub.font = ui.title();
  sub.color = IM_COL32(210, 225, 250, 255);
  sub.align = Align::center;
  ui.text(in.cut_top(ui.title()->FontSize * 3), ui.t("attract.subtitle"), sub);
  in.cut_top(m.mm(20.0f));
  const float bw = std::min(in.w, m.mm(170.0f));
  const Rect start{in.x + (in.w - bw) / 2, in.y, bw, m.target() * 1.4f};
  ui.fill(start, color::kOnPrimary, start.h / 2);
  TextStyle st;
  st.font = ui.title();
  st.color = color::kHeader;
  st.align = Align::center;
  st.vcenter = true;
  ui.text(start, ui.t("attract.touch"), st);
  in.cut_top(start.h + m.mm(14.0f));
  TextStyle hint;
  hint.color = IM_COL32(210, 225, 250, 255);
  hint.align = Align::center;
  ui.text(in.cut_top(ui.body()->FontSize * 4), ui.t("attract.hint"), hint);
  if (!ui.view().notice.empty()) {
    TextStyle ns;
    ns.color = IM_COL32(255, 230, 160, 255);
    ns.align = Align::center;
    ui.text(r.inset(m.pad()).cut_bottom(ui.body()->FontSize * 3), ui.t("notice." + ui.view().notice), ns);
  }
}

namespace {

bool tile(Ui& ui, std::string_view id, const Rect& r, std::string_view title, std::string_view sub, Style style) {
  const auto& m = ui.m();
  return ui.area(id, r, style, [&](const Rect& box) {
    Rect in = box.inset(m.mm(5.0f));
    TextStyle ts;
    ts.font = ui.title();
    ts.color = style == Style::primary ? color::kOnPrimary : color::kText;
    ts.align = Align::center;
    const float th = ui.title()->FontSize * 1.3f;
    const float sh = sub.empty() ? 0 : std::min(in.h - th, ui.small_px() * 2.6f);
    Rect content{in.x, in.y + (in.h - th - sh) / 2, in.w, th + sh};
    ui.text(content.cut_top(th), title, ts);
    if (!sub.empty()) {
      TextStyle ss;
      ss.size = ui.small_px();
      ss.align = Align::center;
      ss.color = style == Style::primary ? IM_COL32(220, 232, 252, 255) : color::kMuted;
      ui.text(content, sub, ss);
    }
  });
}

}  // namespace

void draw_home(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Local& l = c.local;
  if (l.home_rating) {
    draw_rating(c, r, true);
    return;
  }
  r = draw_header(c, r, ui.t("home.title"), ui.t("home.subtitle"));
  draw_notice(c, r);
  Rect in = r.inset(m.pad());
  // Bottom: language and elder mode.
  Rect bottom = in.cut_bottom(m.target());
  in.cut_bottom(m.gap());
  auto bcols = columns(bottom, 2, m.gap());
  const bool en = ui.lang() == "en";
  if (ui.button("home.lang", ui.t("home.lang"), bcols[0])) ui.emit(session::SetLanguage{en ? "zh-CN" : "en"});
  if (ui.button("home.elder", ui.t(ui.view().elder ? "home.elder_off" : "home.elder_on"), bcols[1],
                ui.view().elder ? Style::selected : Style::secondary))
    ui.emit(session::SetElderMode{!ui.view().elder});

  // Search bar.
  const Rect search = in.cut_top(m.target());
  in.cut_top(m.gap());
  if (ui.area("home.search", search, Style::secondary, [&](const Rect& b) {
        TextStyle ts;
        ts.color = color::kMuted;
        ts.vcenter = true;
        ui.text(b.inset(m.mm(5.0f), 0), ui.t("home.search"), ts);
      })) {
    ui.emit(session::OpenLists{session::ListKind::power});
    l.search_next = true;
  }

  const float h = in.h;
  const int big_rows = m.portrait ? 2 : 1;
  (void)big_rows;
  // 我要办事: the big tile; 取号 beside it where the hall has queue lines.
  Rect apply = in.cut_top(h * (m.portrait ? 0.28f : 0.34f));
  in.cut_top(m.gap());
  if (!ui.view().lines.empty()) {
    const Rect ticket = apply.cut_right((apply.w - m.gap()) / 3);
    apply.cut_right(m.gap());
    if (tile(ui, "home.ticket", ticket, ui.t("home.ticket"), ui.t("home.ticket_sub"), Style::secondary))
      ui.emit(session::TakeTicket{});
  }
  if (tile(ui, "home.apply", apply, ui.t("home.apply"), ui.t("home.apply_sub"), Style::primary))
    ui.emit(session::OpenLists{session::ListKind::power});
  // 三张清单
  TextStyle ls;
  ls.color = color::kMuted;
  ls.size = ui.small_px();
  ui.text(in.cut_top(ui.small_px() * 1.5f), ui.t("home.lists"), ls);
  const Rect lists = in.cut_top(h * (m.portrait ? 0.2f : 0.24f));
  in.cut_top(m.gap());
  auto lc = columns(lists, 3, m.gap());
  if (tile(ui, "home.list.power", lc[0], ui.t("list.power"), ui.t("list.power_sub"), Style::secondary))
    ui.emit(session::OpenLists{session::ListKind::power});
  if (tile(ui, "home.list.duty", lc[1], ui.t("list.duty"), ui.t("list.duty_sub"), Style::secondary))
    ui.emit(session::OpenLists{session::ListKind::duty});
  if (tile(ui, "home.list.funds", lc[2], ui.t("list.funds"), ui.t("list.funds_sub"), Style::secondary))
    ui.emit(session::OpenLists{session::ListKind::funds});
  // 进度查询, 服务评价, 投诉建议
  auto sc = columns(in, 3, m.gap());
  if (tile(ui, "home.progress", sc[0], ui.t("home.progress"), ui.t("home.progress_sub"), Style::secondary))
    ui.emit(session::StartProgressQuery{});
  if (tile(ui, "home.rating", sc[1], ui.t("home.rating"), ui.t("home.rating_sub"), Style::secondary)) {
    l.home_rating = true;
    l.rating_level = 0;
    l.rating_tags.clear();
    ui.changed();
  }
  if (tile(ui, "home.complaint", sc[2], ui.t("home.complaint"), ui.t("home.complaint_sub"), Style::secondary))
    ui.emit(session::StartComplaint{});
}

namespace {

// The last screen of a flow: a big word, what to do now, and "完成".
void draw_closing(ScreenContext& c, Rect r, const std::string& title, const std::string& line,
                  const std::string& body) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Rect in = r.inset(m.pad() * 2);
  in.cut_top(r.h * 0.12f);
  TextStyle big;
  big.font = ui.display();
  big.color = color::kOk;
  big.align = Align::center;
  ui.text(in.cut_top(ui.display()->FontSize * 1.5f), title, big);
  if (!line.empty()) {
    TextStyle ts;
    ts.font = ui.title();
    ts.align = Align::center;
    ui.text(in.cut_top(ui.title()->FontSize * 3), line, ts);
  }
  TextStyle bs;
  bs.align = Align::center;
  bs.color = color::kMuted;
  ui.text(in.cut_top(ui.body()->FontSize * 5), body, bs);
  const float bw = std::min(in.w, m.mm(150.0f));
  const Rect btn{in.x + (in.w - bw) / 2, in.y + m.mm(10.0f), bw, m.target() * 1.2f};
  if (ui.button("done.finish", ui.t("done.finish"), btn, Style::primary, ui.title())) ui.emit(session::Finish{});
}

}  // namespace

void draw_done(ScreenContext& c, Rect r) {
  const auto& v = c.ui.view();
  draw_closing(c, r, c.ui.t("done.title"), v.submitted ? c.ui.f("done.receipt_no", {{"no", v.submitted->receipt_no}}) : "",
               c.ui.t(v.submitted ? "done.take_card_and_receipt" : "done.thanks"));
}

void draw_complaint_done(ScreenContext& c, Rect r) {
  draw_closing(c, r, c.ui.t("complaint_done.title"), "", c.ui.t("complaint_done.body"));
}

}  // namespace bianmin::ui
