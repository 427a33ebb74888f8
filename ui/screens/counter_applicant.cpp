// The counter's screens between the number and the form: which item the
// applicant came for, and who the applicant is — the card on the reader,
// or, with no card, the identity typed in from another document.
#include <algorithm>

#include "base/bytes.h"
#include "domain/masking.h"
#include "screens/counter_screens.h"

namespace bianmin::ui {
namespace {

const std::vector<std::string> kIdTypes = {"resident", "gat_residence", "foreign_permanent"};
const std::vector<std::string> kReasons = {"card_forgotten", "card_damaged", "card_lost", "card_expired"};

// The ticket being served, with "call again" and "did not come".
void ticket_strip(ScreenContext& c, const session::ClerkView& v, Rect& r) {
  if (!v.ticket) return;
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Rect strip = r.cut_top(m.target() + m.gap()).inset(m.pad(), 0);
  strip.cut_top(m.gap());
  ui.fill(strip, color::kSelected, m.radius());
  Rect in = strip.inset(m.mm(4.0f), 0);
  if (ui.button("counter.no_show", ui.t("counter.no_show"), in.cut_right(m.mm(44.0f)).inset(0, m.mm(2.0f)), Style::quiet)) {
    ui.emit_counter(session::TicketNoShow{});
    ui.changed();
  }
  in.cut_right(m.gap());
  if (ui.button("counter.recall", ui.t("counter.recall"), in.cut_right(m.mm(44.0f)).inset(0, m.mm(2.0f)), Style::secondary)) {
    ui.emit_counter(session::RecallTicket{});
    ui.changed();
  }
  TextStyle ts;
  ts.font = ui.title();
  ts.vcenter = true;
  ts.wrap = false;
  ui.text(in, ui.f("counter.serving", {{"number", v.ticket->number}, {"line", v.ticket->line_name}}), ts);
}

}  // namespace

void draw_counter_item(ScreenContext& c, const session::ClerkView& v, Rect r, const Rect& full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Local& l = c.local;
  r = draw_header(c, r, ui.t("counter.item.title"), ui.t("counter.item.subtitle"));
  ticket_strip(c, v, r);
  Rect nav = r.cut_bottom(m.target() + 2 * m.pad()).inset(m.pad());
  if (ui.button("counter.cancel", ui.t("counter.cancel"), nav.cut_left(m.mm(50.0f)), Style::quiet)) {
    ui.emit_counter(session::CancelApplication{});
    ui.changed();
  }
  draw_notice(c, r);
  Rect in = r.inset(m.pad());
  if (draw_field(c, in.cut_top(m.target() * 1.1f), "counter.search", ui.t("counter.item.search"), v.search_text, true)) {
    l.edit_target = "counter.search";
    l.edit_buffer = v.search_text;
    l.kbd = {};
    l.kbd.kind = KeyboardKind::latin;
    ui.changed();
  }
  in.cut_top(m.gap());
  const Rect pager = in.cut_bottom(m.target());
  const int per_page = std::max(1, static_cast<int>(in.h / (m.target() * 0.85f + m.gap())));
  const int first = ui.pager("counter.item.page", pager, static_cast<int>(v.results.size()), per_page, l.page("items"));
  for (int i = first; i < std::min<int>(first + per_page, static_cast<int>(v.results.size())); ++i) {
    const catalog::Item* item = v.results[static_cast<std::size_t>(i)];
    const Rect row = in.cut_top(m.target() * 0.85f);
    in.cut_top(m.gap());
    const bool tapped = ui.area("counter.item." + item->code, row, Style::secondary, [&](const Rect& box) {
      Rect cell = box.inset(m.mm(4.0f), 0);
      TextStyle cs;
      cs.color = color::kMuted;
      cs.vcenter = true;
      cs.wrap = false;
      cs.size = ui.small_px();
      ui.text(cell.cut_right(m.mm(60.0f)), item->code + "  " + ui.t(std::string("category.") + catalog::category_key(item->category)), cs);
      TextStyle ns;
      ns.vcenter = true;
      ns.wrap = false;
      ui.text(cell, item->name, ns);
    });
    if (tapped) {
      ui.emit_counter(session::OpenItem{item->code});
      ui.changed();
    }
  }
  if (l.edit_target == "counter.search" && draw_editor(c, full, ui.t("counter.item.search"), KeyboardKind::latin, 40)) {
    ui.emit_counter(session::SearchText{l.edit_buffer});
    secure_wipe(l.edit_buffer);
    l.edit_target.clear();
    ui.changed();
  }
}

void draw_counter_identify(ScreenContext& c, const session::ClerkView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  r = draw_header(c, r, ui.t("counter.identify.title"), v.item ? v.item->name : "");
  ticket_strip(c, v, r);
  Rect nav = r.cut_bottom(m.target() + 2 * m.pad()).inset(m.pad());
  const auto cells = columns(nav, 3, m.gap());
  if (ui.button("nav.back", ui.t("nav.back"), cells[0], Style::quiet)) {
    ui.emit_counter(session::GoBack{});
    ui.changed();
  }
  if (ui.button("counter.manual", ui.t("counter.manual"), cells[2], Style::secondary)) {
    ui.emit_counter(session::TypeIdentity{});
    ui.changed();
  }
  draw_notice(c, r);
  Rect in = r.inset(m.pad() * 2);
  TextStyle ts;
  ts.font = ui.title();
  ts.align = Align::center;
  ts.vcenter = true;
  ui.text(in.cut_top(in.h * 0.5f), ui.t("counter.identify.prompt"), ts);
  TextStyle hs;
  hs.align = Align::center;
  hs.color = ui.face().reader_present ? color::kMuted : color::kDanger;
  ui.text(in, ui.t(ui.face().reader_present ? "counter.identify.hint" : "place_card.reader_absent"), hs);
}

void draw_counter_manual(ScreenContext& c, const session::ClerkView& v, Rect r, const Rect& full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Local& l = c.local;
  bool go = false;
  r = draw_step(c, r, ui.t("counter.manual.title"), v.item ? v.item->name : "", "counter.manual.confirm", &go);
  auto& d = l.counter_manual;
  if (go) {
    ui.emit_counter(session::ManualIdentity{d.name, d.id_type, d.id_number, d.reason});
    ui.changed();
  }
  Rect in = r.inset(m.pad(), m.pad() * 0.6f);
  const float unit = m.target() * 1.1f;
  // `shown` is what the field shows (the number masked); the editor starts
  // from `value`, what was typed.
  auto field = [&](const char* id, const std::string& label, const std::string& shown, const std::string& value,
                   const char* target) {
    const Rect fr = in.cut_top(unit);
    in.cut_top(m.gap());
    if (draw_field(c, fr, id, label, shown, true)) {
      if (std::string(target).rfind("choose:", 0) == 0) {
        l.chooser = target;
      } else {
        l.edit_target = target;
        l.edit_buffer = value;
        l.kbd = {};
      }
      ui.changed();
    }
  };
  std::string masked = d.id_number.empty() ? std::string() : domain::mask_id_number(d.id_number);
  field("counter.manual.name", ui.t("counter.manual.name") + " *", d.name, d.name, "manual.name");
  field("counter.manual.id_type", ui.t("counter.manual.id_type") + " *", ui.t("id_type." + d.id_type), {},
        "choose:id_type");
  field("counter.manual.id_number", ui.t("counter.manual.id_number") + " *", masked, d.id_number, "manual.id_number");
  field("counter.manual.reason", ui.t("counter.manual.reason") + " *",
        d.reason.empty() ? std::string() : ui.t("counter.reason." + d.reason), {}, "choose:reason");
  secure_wipe(masked);

  if (l.chooser == "choose:id_type" || l.chooser == "choose:reason") {
    const bool types = l.chooser == "choose:id_type";
    const auto& keys = types ? kIdTypes : kReasons;
    std::vector<std::string> labels;
    int sel = -1;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      labels.push_back(ui.t((types ? "id_type." : "counter.reason.") + keys[i]));
      if ((types ? d.id_type : d.reason) == keys[i]) sel = static_cast<int>(i);
    }
    const int pick = draw_chooser(c, full, ui.t(types ? "counter.manual.id_type" : "counter.manual.reason"), labels, sel);
    if (pick >= 0) (types ? d.id_type : d.reason) = keys[static_cast<std::size_t>(pick)];
    if (pick != -1) {
      l.chooser.clear();
      ui.changed();
    }
  } else if (l.edit_target == "manual.name" || l.edit_target == "manual.id_number") {
    const bool name = l.edit_target == "manual.name";
    if (draw_editor(c, full, ui.t(name ? "counter.manual.name" : "counter.manual.id_number"),
                    name ? KeyboardKind::pinyin : KeyboardKind::id_number, name ? 50 : 18)) {
      std::string& slot = name ? d.name : d.id_number;
      secure_wipe(slot);
      slot = l.edit_buffer;
      secure_wipe(l.edit_buffer);
      l.edit_target.clear();
      ui.changed();
    }
  }
}

}  // namespace bianmin::ui
