// 办事指南: every guide field of the spec, the process as a flow chart, and
// a clear "可在本机办理" or "请到窗口办理".
#include <algorithm>
#include <functional>

#include "screens/screens.h"

namespace bianmin::ui {
namespace {

struct Block {
  std::function<float(float w)> height;
  std::function<void(const Rect&)> draw;
  std::string words;  // what 朗读 says of it
};

// A label and its value, one under the other.
Block field_block(ScreenContext& c, std::string label, std::string value) {
  Ui& ui = c.ui;
  return Block{[&ui, label, value](float w) {
                 return ui.small_px() * 1.3f + ui.measure(value.empty() ? "—" : value, ui.body(), 0, w) + ui.m().mm(3.0f);
               },
               [&ui, label, value](const Rect& r) {
                 Rect in = r;
                 TextStyle ls;
                 ls.color = color::kMuted;
                 ls.size = ui.small_px();
                 ui.text(in.cut_top(ui.small_px() * 1.3f), label, ls);
                 TextStyle vs;
                 ui.text(in, value.empty() ? "—" : value, vs);
               },
               label + "：" + value + "。"};
}

Block text_block(ScreenContext& c, std::string text, ImU32 col = color::kText) {
  Ui& ui = c.ui;
  return Block{[&ui, text](float w) { return ui.measure(text, ui.body(), 0, w) + ui.m().mm(3.0f); },
               [&ui, text, col](const Rect& r) {
                 TextStyle ts;
                 ts.color = col;
                 ui.text(r, text, ts);
               },
               text + "。"};
}

// One step of the flow chart: a box, and an arrow from the previous one.
Block step_block(ScreenContext& c, int index, const catalog::ProcessStep& s, bool first) {
  Ui& ui = c.ui;
  std::string detail = s.role;
  if (s.days > 0) detail += (detail.empty() ? "" : " · ") + ui.f("guide.step_days", {{"n", std::to_string(s.days)}});
  const std::string title = std::to_string(index + 1) + ". " + s.step;
  return Block{[&ui, first](float) { return (first ? 0 : ui.m().mm(9.0f)) + ui.m().target() * 1.15f; },
               [&ui, title, detail, first](const Rect& r) {
                 const auto& m = ui.m();
                 Rect in = r;
                 const float bw = std::min(in.w, m.mm(180.0f));
                 const float x = in.x + (in.w - bw) / 2;
                 if (!first) {
                   Rect arrow = in.cut_top(m.mm(9.0f));
                   const float cx = x + bw / 2;
                   ui.dl()->AddLine({cx, arrow.y}, {cx, arrow.bottom() - m.mm(2.5f)}, color::kPrimary, 4.0f);
                   ui.dl()->AddTriangleFilled({cx - m.mm(3.0f), arrow.bottom() - m.mm(3.0f)},
                                              {cx + m.mm(3.0f), arrow.bottom() - m.mm(3.0f)}, {cx, arrow.bottom()},
                                              color::kPrimary);
                 }
                 const Rect box{x, in.y, bw, in.h};
                 ui.fill(box, color::kSelected, m.radius());
                 ui.frame(box, color::kPrimary, 3.0f, m.radius());
                 Rect t = box.inset(m.mm(4.0f), m.mm(2.0f));
                 TextStyle ts;
                 ts.align = Align::center;
                 ts.color = color::kPrimary;
                 ui.text(t.cut_top(t.h * 0.55f), title, ts);
                 TextStyle ds;
                 ds.align = Align::center;
                 ds.size = ui.small_px();
                 ds.color = color::kMuted;
                 ui.text(t, detail, ds);
               },
               title + "，" + detail + "。"};
}

std::vector<std::string> tabs_of(const catalog::Item& it) {
  std::vector<std::string> t{"basic", "conditions", "materials", "process", "legal"};
  if (!it.responsibilities.empty()) t.push_back("duty");
  return t;
}

std::vector<Block> blocks_of(ScreenContext& c, const catalog::Item& it, const std::string& tab) {
  Ui& ui = c.ui;
  std::vector<Block> b;
  auto days = [&](int n) { return n > 0 ? ui.f("guide.days", {{"n", std::to_string(n)}}) : ui.t("guide.days_none"); };
  if (tab == "basic") {
    b.push_back(field_block(c, ui.t("guide.code"), it.code));
    b.push_back(field_block(c, ui.t("guide.category"), ui.t(std::string("category.") + catalog::category_key(it.category))));
    b.push_back(field_block(c, ui.t("guide.implementing_body"), it.implementing_body));
    if (!it.handling_unit.empty()) b.push_back(field_block(c, ui.t("guide.handling_unit"), it.handling_unit));
    b.push_back(field_block(c, ui.t("guide.level"), ui.t(std::string("level.") + catalog::level_key(it.level))));
    b.push_back(field_block(c, ui.t("guide.time_limits"),
                            ui.f("guide.time_limits_value", {{"statutory", days(it.statutory_days)}, {"promised", days(it.promised_days)}})));
    std::string fee = it.fee.free ? ui.t("guide.fee_free") : it.fee.standard;
    if (!it.fee.free && !it.fee.basis.empty()) fee += "\n" + ui.f("guide.fee_basis", {{"basis", it.fee.basis}});
    b.push_back(field_block(c, ui.t("guide.fee"), fee));
    b.push_back(field_block(c, ui.t("guide.consult_phone"), it.consult_phone));
    b.push_back(field_block(c, ui.t("guide.supervise_phone"), it.supervise_phone));
  } else if (tab == "conditions") {
    if (it.conditions.empty()) b.push_back(text_block(c, ui.t("guide.none"), color::kMuted));
    for (std::size_t i = 0; i < it.conditions.size(); ++i)
      b.push_back(text_block(c, std::to_string(i + 1) + ". " + it.conditions[i]));
  } else if (tab == "materials") {
    if (it.materials.empty()) b.push_back(text_block(c, ui.t("guide.none"), color::kMuted));
    for (std::size_t i = 0; i < it.materials.size(); ++i) {
      const auto& mat = it.materials[i];
      std::string head = std::to_string(i + 1) + ". " + mat.name;
      std::string detail = ui.t(mat.required ? "guide.required" : "guide.optional") + " · " +
                           ui.t(std::string("material_form.") + catalog::material_form_key(mat.form)) + " · " +
                           ui.f("guide.copies", {{"n", std::to_string(mat.copies)}});
      if (!mat.note.empty()) detail += "\n" + mat.note;
      b.push_back(field_block(c, head, detail));
    }
  } else if (tab == "process") {
    if (it.process.empty()) b.push_back(text_block(c, ui.t("guide.none"), color::kMuted));
    for (std::size_t i = 0; i < it.process.size(); ++i) b.push_back(step_block(c, static_cast<int>(i), it.process[i], i == 0));
  } else if (tab == "legal") {
    if (it.legal_basis.empty()) b.push_back(text_block(c, ui.t("guide.none"), color::kMuted));
    for (const auto& l : it.legal_basis) b.push_back(field_block(c, l.title + (l.article.empty() ? "" : " " + l.article), l.text));
  } else if (tab == "duty") {
    for (const auto& r : it.responsibilities)
      b.push_back(field_block(c, r.matter, ui.f("guide.accountability", {{"text", r.accountability}})));
  }
  return b;
}

}  // namespace

void draw_guide(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.view();
  Local& l = c.local;
  if (!v.item) return;
  const catalog::Item& it = *v.item;
  r = draw_header(c, r, it.name, it.implementing_body);
  Nav nav;
  if (it.kiosk_submittable) {
    nav.primary_id = "guide.apply";
    nav.primary_label = ui.t("guide.apply");
  }
  if (draw_nav(c, r, nav)) ui.emit(session::StartApply{});
  draw_notice(c, r);
  Rect in = r.inset(m.pad(), m.pad() * 0.6f);

  // Where it can be done, in one clear line.
  const Rect where = in.cut_top(m.target() * 0.9f);
  in.cut_top(m.gap());
  ui.fill(where, it.kiosk_submittable ? color::kOkBg : color::kWarnBg, m.radius());
  TextStyle ws;
  ws.font = ui.title();
  ws.vcenter = true;
  ws.align = Align::center;
  ws.color = it.kiosk_submittable ? color::kOk : color::kWarn;
  ui.text(where.inset(m.mm(3.0f), m.mm(1.0f)), ui.t(it.kiosk_submittable ? "guide.kiosk" : "guide.counter"), ws);

  // Tabs.
  const auto tabs = tabs_of(it);
  l.guide_tab = std::clamp(l.guide_tab, 0, static_cast<int>(tabs.size()) - 1);
  const int per_row = m.portrait ? 3 : static_cast<int>(tabs.size());
  const int tab_rows = (static_cast<int>(tabs.size()) + per_row - 1) / per_row;
  const Rect tab_area = in.cut_top(static_cast<float>(tab_rows) * m.target() + static_cast<float>(tab_rows - 1) * m.gap());
  in.cut_top(m.gap());
  const auto cells = grid(tab_area, tab_rows, per_row, m.gap());
  for (std::size_t i = 0; i < tabs.size(); ++i)
    if (ui.button("guide.tab." + tabs[i], ui.t("guide.tab." + tabs[i]), cells[i],
                  static_cast<int>(i) == l.guide_tab ? Style::selected : Style::secondary)) {
      l.guide_tab = static_cast<int>(i);
      l.pages.erase("guide");
      ui.changed();
    }

  // Content, paged by blocks; the section read aloud on request (朗读).
  Rect pager = in.cut_bottom(m.target());
  in.cut_bottom(m.gap());
  const auto blocks = blocks_of(c, it, tabs[static_cast<std::size_t>(l.guide_tab)]);
  if (ui.button("guide.read_aloud", ui.t("guide.read_aloud"), pager.cut_right(std::min(pager.w * 0.3f, m.mm(50.0f))))) {
    std::string words = ui.t("guide.tab." + tabs[static_cast<std::size_t>(l.guide_tab)]) + "。";
    for (const auto& b : blocks) words += b.words;
    ui.emit(session::ReadAloud{std::move(words)});
  }
  pager.cut_right(m.gap());
  ui.fill(in, color::kSurface, m.radius());
  Rect content = in.inset(m.mm(5.0f));
  std::vector<int> page_start{0};
  float used = 0;
  std::vector<float> heights;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const float h = std::min(blocks[i].height(content.w), content.h);
    heights.push_back(h);
    if (used + h > content.h && used > 0) {
      page_start.push_back(static_cast<int>(i));
      used = 0;
    }
    used += h + m.mm(2.0f);
  }
  int& page = l.page("guide");
  ui.pager("guide.page", pager, static_cast<int>(page_start.size()), 1, page);
  const int from = page_start[static_cast<std::size_t>(page)];
  const int to = page + 1 < static_cast<int>(page_start.size()) ? page_start[static_cast<std::size_t>(page + 1)]
                                                                : static_cast<int>(blocks.size());
  for (int i = from; i < to; ++i) {
    const Rect br = content.cut_top(heights[static_cast<std::size_t>(i)]);
    content.cut_top(m.mm(2.0f));
    blocks[static_cast<std::size_t>(i)].draw(br);
  }
}

}  // namespace bianmin::ui
