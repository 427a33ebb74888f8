// After the submit: the receipt (printing, printed, or failed — and then
// the application is safe and the resident is told how to get the receipt),
// and the 好差评 rating with its five levels.
#include <algorithm>
#include <cmath>

#include "screens/screens.h"

namespace bianmin::ui {
namespace {

constexpr const char* kTags[] = {"wait_long", "unclear_guide", "attitude", "repeat_visits", "device_fault", "other"};

}  // namespace

void draw_receipt(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.view();
  const bool failed = v.print == session::PrintState::failed;
  r = draw_header(c, r, ui.t(failed ? "receipt.title_failed" : "receipt.title"), v.item ? v.item->name : "");
  Rect in = r.inset(m.pad() * 1.5f);
  // The receipt number, large: the resident can note it whatever happens.
  if (v.submitted) {
    TextStyle ls;
    ls.align = Align::center;
    ls.color = color::kMuted;
    ui.text(in.cut_top(ui.body()->FontSize * 1.5f), ui.t("receipt.number"), ls);
    TextStyle ns;
    ns.font = ui.display();
    ns.align = Align::center;
    ns.color = color::kPrimary;
    ui.text(in.cut_top(ui.display()->FontSize * 1.4f), v.submitted->receipt_no, ns);
    in.cut_top(m.mm(6.0f));
  }
  if (!failed) {
    ui.animate();
    // Paper coming out of the printer.
    const float pw = std::min(in.w * 0.4f, m.mm(80.0f));
    const float slot_y = in.y + m.mm(8.0f);
    const float t = std::fmod(static_cast<float>(ui.time()), 2.0f) / 2.0f;
    ui.fill({in.x + (in.w - pw * 1.3f) / 2, slot_y - m.mm(6.0f), pw * 1.3f, m.mm(10.0f)}, IM_COL32(60, 70, 90, 255), m.radius());
    const float ph = m.mm(50.0f) * t;
    ui.fill({in.x + (in.w - pw) / 2, slot_y + m.mm(4.0f), pw, ph}, color::kSurface);
    ui.frame({in.x + (in.w - pw) / 2, slot_y + m.mm(4.0f), pw, ph}, color::kBorder, 2.0f);
    in.cut_top(m.mm(64.0f));
    TextStyle ts;
    ts.font = ui.title();
    ts.align = Align::center;
    ui.text(in.cut_top(ui.title()->FontSize * 2.6f), ui.t("receipt.printing"), ts);
    TextStyle bs;
    bs.align = Align::center;
    bs.color = color::kOk;
    ui.text(in.cut_top(ui.body()->FontSize * 3), ui.t("receipt.safe"), bs);
    return;
  }
  // Print failure: the application is safe; here is how to get the receipt.
  const std::string why = ui.t("trouble.printer." + (v.printer_state.empty() ? std::string("error") : v.printer_state));
  Rect box = in.cut_top(std::min(in.h * 0.5f, m.mm(100.0f)));
  ui.fill(box, color::kWarnBg, m.radius());
  Rect bi = box.inset(m.mm(5.0f));
  TextStyle ws;
  ws.font = ui.title();
  ws.color = color::kWarn;
  ui.text(bi.cut_top(ui.title()->FontSize * 2.6f), why, ws);
  TextStyle ok;
  ok.color = color::kOk;
  ui.text(bi.cut_top(ui.body()->FontSize * 2.8f), ui.t("receipt.safe"), ok);
  TextStyle hs;
  ui.text(bi, ui.t("receipt.how_to_get"), hs);
  in.cut_top(m.gap() * 2);
  auto bc = columns(in.cut_top(m.target() * 1.1f), 2, m.gap());
  if (ui.button("receipt.reprint", ui.t("receipt.reprint"), bc[0], Style::primary)) ui.emit(session::ReprintReceipt{});
  if (ui.button("receipt.continue", ui.t("receipt.continue"), bc[1])) ui.emit(session::SkipRating{});
}

void draw_rating(ScreenContext& c, Rect r, bool from_home) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Local& l = c.local;
  r = draw_header(c, r, ui.t("rating.title"), ui.t("rating.subtitle"));
  // Bottom: skip (or back to home), submit.
  Rect bar = r.cut_bottom(m.target() + m.pad() * 1.2f);
  ui.fill(bar, color::kSurface);
  Rect bi = bar.inset(m.pad(), m.pad() * 0.6f);
  const float bw = std::max(m.mm(45.0f), bi.w * 0.3f);
  if (from_home) {
    if (ui.button("rating.cancel", ui.t("nav.home"), bi.cut_left(bw))) {
      l.home_rating = false;
      ui.changed();
    }
  } else if (ui.button("rating.skip", ui.t("rating.skip"), bi.cut_left(bw))) {
    ui.emit(session::SkipRating{});
  }
  const bool can_submit = l.rating_level > 0;
  if (can_submit && ui.button("rating.submit", ui.t("rating.submit"), bi.cut_right(std::max(bw, m.mm(70.0f))), Style::primary)) {
    std::vector<std::string> tags = l.rating_level <= 2 ? l.rating_tags : std::vector<std::string>{};
    ui.emit(session::Rate{l.rating_level, tags});
    if (from_home) l.home_rating = false;
  }
  draw_notice(c, r);
  Rect in = r.inset(m.pad());
  // Landscape: the reasons beside the levels, not below them.
  Rect reasons = in;
  if (!m.portrait) {
    reasons = in.cut_right(in.w * 0.45f);
    in.cut_right(m.gap() * 2);
  }
  // Five levels, best first, each a full-width target.
  const float level_h = m.target();
  for (int level = 5; level >= 1; --level) {
    const Rect row = in.cut_top(level_h);
    in.cut_top(m.gap());
    const bool sel = l.rating_level == level;
    const std::string label = std::string(static_cast<std::size_t>(level), '*');
    if (ui.area("rating.level." + std::to_string(level), row, sel ? Style::selected : Style::secondary, [&](const Rect& b) {
          Rect x = b.inset(m.mm(5.0f), 0);
          const Rect stars = x.cut_left(std::min(x.w * 0.4f, ui.body()->FontSize * 5.5f));
          TextStyle ss;
          ss.color = level >= 3 ? IM_COL32(230, 160, 0, 255) : color::kMuted;
          ss.vcenter = true;
          ss.wrap = false;
          std::string s;
          for (int i = 0; i < 5; ++i) s += i < level ? "★" : "☆";
          ui.text(stars, s, ss);
          TextStyle ts;
          ts.vcenter = true;
          ts.font = ui.title();
          ts.color = sel ? color::kPrimary : color::kText;
          ui.text(x, ui.t("rating.level." + std::to_string(level)), ts);
        })) {
      l.rating_level = level;
      ui.changed();
    }
  }
  // The two lowest levels say why.
  if (m.portrait) reasons = in;
  if (l.rating_level > 0 && l.rating_level <= 2) {
    in = reasons;
    TextStyle ts;
    ts.color = color::kDanger;
    ui.text(in.cut_top(ui.body()->FontSize * 1.6f), ui.t("rating.why"), ts);
    const int cols = 2;
    const int n = static_cast<int>(std::size(kTags));
    const int rows_n = (n + cols - 1) / cols;
    auto cells = grid(in.cut_top(static_cast<float>(rows_n) * (m.target() + m.gap())), rows_n, cols, m.gap());
    for (int i = 0; i < n; ++i) {
      const std::string tag = kTags[i];
      const bool on = std::find(l.rating_tags.begin(), l.rating_tags.end(), tag) != l.rating_tags.end();
      if (ui.button("rating.tag." + tag, ui.t("rating.tag." + tag), cells[static_cast<std::size_t>(i)],
                    on ? Style::selected : Style::secondary)) {
        if (on) l.rating_tags.erase(std::find(l.rating_tags.begin(), l.rating_tags.end(), tag));
        else l.rating_tags.push_back(tag);
        ui.changed();
      }
    }
  }
}

}  // namespace bianmin::ui
