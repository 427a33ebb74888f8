// The published lists (权力清单, 责任清单, 财政专项资金管理清单): browse by
// category or department, search with the on-screen keyboard, page through.
#include <algorithm>

#include "screens/screens.h"

namespace bianmin::ui {
namespace {

std::vector<std::string> departments(const catalog::Catalog* cat) {
  std::vector<std::string> out;
  if (!cat) return out;
  for (const auto& it : cat->items)
    if (std::find(out.begin(), out.end(), it.implementing_body) == out.end()) out.push_back(it.implementing_body);
  return out;
}

std::string yuan(int64_t fen) {
  const int64_t wan = fen / 100 / 10000;  // 万元 with two decimals
  const int64_t rest = (fen / 100) % 10000;
  return std::to_string(wan) + "." + (rest / 100 < 10 ? "0" : "") + std::to_string(rest / 100);
}

void draw_funds(ScreenContext& c, Rect in) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  if (!c.catalog || c.catalog->special_funds.empty()) {
    TextStyle ts;
    ts.color = color::kMuted;
    ts.align = Align::center;
    ui.text(in, ui.t("lists.funds_empty"), ts);
    return;
  }
  const auto& funds = c.catalog->special_funds;
  const Rect pager = in.cut_bottom(m.target());
  in.cut_bottom(m.gap());
  const float row_h = m.target() * 1.15f;
  const int per_page = std::max(1, static_cast<int>((in.h + m.gap()) / (row_h + m.gap())));
  const int first = ui.pager("lists.page", pager, static_cast<int>(funds.size()), per_page, c.local.page("lists"));
  for (int i = first; i < std::min<int>(first + per_page, static_cast<int>(funds.size())); ++i) {
    const auto& f = funds[static_cast<std::size_t>(i)];
    Rect row = in.cut_top(row_h);
    in.cut_top(m.gap());
    ui.fill(row, color::kSurface, m.radius());
    Rect r = row.inset(m.mm(4.0f), m.mm(2.0f));
    TextStyle amount;
    amount.font = ui.title();
    amount.align = Align::right;
    amount.vcenter = true;
    amount.color = color::kPrimary;
    ui.text(r.cut_right(m.mm(50.0f)), ui.f("funds.amount", {{"amount", yuan(f.amount_fen)}}), amount);
    TextStyle name;
    name.wrap = true;
    ui.text(r.cut_top(r.h * 0.55f), f.project, name);
    TextStyle sub;
    sub.color = color::kMuted;
    sub.size = ui.small_px();
    sub.wrap = false;
    ui.text(r, std::to_string(f.year) + " · " + f.department + " · " +
                   ui.t(f.kind == catalog::FundKind::transfer_payment ? "funds.transfer_payment" : "funds.department_budget"),
            sub);
  }
}

}  // namespace

void draw_lists(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.view();
  Local& l = c.local;
  Rect full = r;
  if (l.search_next) {
    l.search_next = false;
    l.edit_target = "search";
    l.edit_buffer = v.search_text;
    l.kbd = {};
  }
  const char* kind_key = v.list_kind == session::ListKind::power ? "list.power"
                         : v.list_kind == session::ListKind::duty ? "list.duty"
                                                                  : "list.funds";
  r = draw_header(c, r, ui.t(kind_key), ui.t(std::string(kind_key) + "_about"));
  draw_nav(c, r, Nav{});
  draw_notice(c, r);
  Rect in = r.inset(m.pad(), m.pad() * 0.7f);

  // The three lists as tabs; in landscape on the same row as the search.
  Rect tab_row = in.cut_top(m.target());
  in.cut_top(m.gap());
  Rect bar = tab_row;
  if (m.portrait) {
    bar = in.cut_top(m.target());
    in.cut_top(m.gap());
  } else {
    tab_row = bar.cut_left(bar.w * 0.42f);
    bar.cut_left(m.gap());
  }
  auto tabs = columns(tab_row, 3, m.gap());
  const session::ListKind kinds[] = {session::ListKind::power, session::ListKind::duty, session::ListKind::funds};
  const char* keys[] = {"list.power", "list.duty", "list.funds"};
  for (int i = 0; i < 3; ++i)
    if (ui.button(std::string("lists.tab.") + (i == 0 ? "power" : i == 1 ? "duty" : "funds"), ui.t(keys[i]),
                  tabs[static_cast<std::size_t>(i)], v.list_kind == kinds[i] ? Style::selected : Style::secondary))
      ui.emit(session::OpenLists{kinds[i]});

  if (v.list_kind == session::ListKind::funds) {
    draw_funds(c, in);
    return;
  }

  // Search and filters.
  const float fw = m.portrait ? bar.w * 0.26f : bar.w * 0.25f;
  const Rect dept_r = bar.cut_right(fw);
  bar.cut_right(m.gap());
  const Rect cat_r = bar.cut_right(fw);
  bar.cut_right(m.gap());
  if (ui.area("lists.search", bar, Style::secondary, [&](const Rect& b) {
        TextStyle ts;
        ts.vcenter = true;
        ts.wrap = false;
        ts.color = v.search_text.empty() ? color::kMuted : color::kText;
        ui.text(b.inset(m.mm(4.0f), 0), v.search_text.empty() ? ui.t("lists.search_hint") : v.search_text, ts);
      })) {
    l.edit_target = "search";
    l.edit_buffer = v.search_text;
    l.kbd = {};
    ui.changed();
  }
  const std::string cat_label =
      v.filter.category ? ui.t(std::string("category.") + catalog::category_key(*v.filter.category)) : ui.t("lists.all_categories");
  if (ui.button("lists.category", cat_label, cat_r, v.filter.category ? Style::selected : Style::secondary)) {
    l.chooser = "category";
    ui.changed();
  }
  const std::string dept_label = v.filter.department.empty() ? ui.t("lists.all_departments") : v.filter.department;
  if (ui.button("lists.department", dept_label, dept_r, v.filter.department.empty() ? Style::secondary : Style::selected)) {
    l.chooser = "department";
    ui.changed();
  }

  // Results.
  TextStyle count;
  count.color = color::kMuted;
  count.size = ui.small_px();
  ui.text(in.cut_top(ui.small_px() * 1.4f), ui.f("lists.count", {{"n", std::to_string(v.results.size())}}), count);
  const Rect pager = in.cut_bottom(m.target());
  in.cut_bottom(m.gap());
  const float row_h = m.target() * (m.elder ? 1.3f : 1.25f);
  const int fit = std::max(1, static_cast<int>((in.h + m.gap()) / (row_h + m.gap())));
  const int per_page = std::min(fit, m.list_rows());
  const int first = ui.pager("lists.page", pager, static_cast<int>(v.results.size()), per_page, l.page("lists"));
  if (v.results.empty()) {
    TextStyle ts;
    ts.color = color::kMuted;
    ts.align = Align::center;
    ui.text(in.inset(0, m.mm(20.0f)), ui.t("lists.none"), ts);
  }
  for (int i = first; i < std::min<int>(first + per_page, static_cast<int>(v.results.size())); ++i) {
    const catalog::Item* it = v.results[static_cast<std::size_t>(i)];
    const Rect row = in.cut_top(row_h);
    in.cut_top(m.gap());
    if (ui.area("lists.item." + it->code, row, Style::secondary, [&](const Rect& b) {
          Rect x = b.inset(m.mm(4.0f), m.mm(2.0f));
          const Rect badge = x.cut_right(m.mm(m.elder ? 40.0f : 34.0f));
          x.cut_right(m.mm(2.0f));
          ui.fill(badge.inset(0, badge.h * 0.22f), it->kiosk_submittable ? color::kOkBg : IM_COL32(238, 240, 244, 255), m.radius());
          TextStyle bs;
          bs.size = ui.small_px();
          bs.align = Align::center;
          bs.vcenter = true;
          bs.color = it->kiosk_submittable ? color::kOk : color::kMuted;
          ui.text(badge.inset(m.mm(1.0f), badge.h * 0.22f), ui.t(it->kiosk_submittable ? "badge.kiosk" : "badge.counter"), bs);
          TextStyle ns;
          ui.text(x.cut_top(x.h * 0.6f), it->name, ns);
          TextStyle ss;
          ss.size = ui.small_px();
          ss.color = color::kMuted;
          ss.wrap = false;
          ui.text(x, it->implementing_body + " · " + ui.t(std::string("category.") + catalog::category_key(it->category)), ss);
        }))
      ui.emit(session::OpenItem{it->code});
  }

  // Overlays.
  if (l.chooser == "category") {
    std::vector<std::string> opts{ui.t("lists.all_categories")};
    int sel = 0;
    for (int i = 0; i < catalog::kCategoryCount; ++i) {
      const auto cat = static_cast<catalog::Category>(i);
      opts.push_back(ui.t(std::string("category.") + catalog::category_key(cat)));
      if (v.filter.category == cat) sel = i + 1;
    }
    const int pick = draw_chooser(c, full, ui.t("lists.choose_category"), opts, sel);
    if (pick >= 0) {
      session::Browse b = v.filter;
      b.category = pick == 0 ? std::nullopt : std::optional(static_cast<catalog::Category>(pick - 1));
      ui.emit(b);
      l.pages.erase("lists");
    }
    if (pick != -1) {
      l.chooser.clear();
      ui.changed();
    }
  } else if (l.chooser == "department") {
    auto depts = departments(c.catalog);
    std::vector<std::string> opts{ui.t("lists.all_departments")};
    int sel = 0;
    for (std::size_t i = 0; i < depts.size(); ++i) {
      opts.push_back(depts[i]);
      if (depts[i] == v.filter.department) sel = static_cast<int>(i) + 1;
    }
    const int pick = draw_chooser(c, full, ui.t("lists.choose_department"), opts, sel);
    if (pick >= 0) {
      session::Browse b = v.filter;
      b.department = pick == 0 ? "" : depts[static_cast<std::size_t>(pick - 1)];
      ui.emit(b);
      l.pages.erase("lists");
    }
    if (pick != -1) {
      l.chooser.clear();
      ui.changed();
    }
  } else if (l.edit_target == "search") {
    // Search as the resident types: every key is a new query.
    const std::string before = l.edit_buffer;
    const bool done = draw_editor(c, full, ui.t("lists.search_label"), KeyboardKind::latin, 20);
    if (l.edit_buffer != before || done) {
      ui.emit(session::SearchText{l.edit_buffer});
      l.pages.erase("lists");
    }
    if (done) {
      l.edit_target.clear();
      ui.changed();
    }
  }
}

}  // namespace bianmin::ui
