// 投诉建议: what it is about, the text (pinyin input), an optional phone.
#include <algorithm>

#include "base/bytes.h"
#include "screens/screens.h"

namespace bianmin::ui {
namespace {

constexpr const char* kAbout[] = {"service", "staff", "fee", "other"};

}  // namespace

void draw_complaint(ScreenContext& c, Rect r, const Rect& full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Local& l = c.local;
  bool go = false;
  r = draw_step(c, r, ui.t("complaint.title"), ui.t("complaint.subtitle"), "complaint.submit", &go);
  if (go) ui.emit(session::SubmitComplaint{l.complaint_about, l.complaint_text, l.complaint_phone});
  Rect in = r.inset(m.pad());
  TextStyle ls;
  ls.color = color::kMuted;
  ui.text(in.cut_top(ui.body()->FontSize * 1.5f), ui.t("complaint.about"), ls);
  const std::string about_problem = problem_for(c, "complaint.about");
  auto cells = columns(in.cut_top(m.target()), 4, m.gap());
  for (int i = 0; i < 4; ++i) {
    const std::string k = kAbout[i];
    if (ui.button("complaint.about." + k, ui.t("complaint.about." + k), cells[static_cast<std::size_t>(i)],
                  l.complaint_about == k ? Style::selected : Style::secondary)) {
      l.complaint_about = k;
      ui.changed();
    }
  }
  if (!about_problem.empty()) {
    TextStyle ps;
    ps.color = color::kDanger;
    ps.size = ui.small_px();
    ui.text(in.cut_top(ui.small_px() * 1.4f), about_problem, ps);
  }
  in.cut_top(m.gap() * 1.5f);
  const Rect text_r = in.cut_top(std::min(in.h * 0.5f, m.target() * 3.2f));
  in.cut_top(m.gap());
  if (draw_field(c, text_r, "complaint.text", ui.t("complaint.text"), l.complaint_text, true, problem_for(c, "complaint.text"))) {
    l.edit_target = "complaint.text";
    l.edit_buffer = l.complaint_text;
    l.kbd = {};
    ui.changed();
  }
  const Rect phone_r = in.cut_top(m.target() * 1.1f);
  if (draw_field(c, phone_r, "complaint.phone", ui.t("complaint.phone"), l.complaint_phone, true,
                 problem_for(c, "complaint.phone"))) {
    l.edit_target = "complaint.phone";
    l.edit_buffer = l.complaint_phone;
    l.kbd = {};
    ui.changed();
  }
  if (l.edit_target == "complaint.text" || l.edit_target == "complaint.phone") {
    const bool text = l.edit_target == "complaint.text";
    if (draw_editor(c, full, ui.t(text ? "complaint.text" : "complaint.phone"),
                    text ? KeyboardKind::pinyin : KeyboardKind::phone, text ? 500 : 11)) {
      std::string& target = text ? l.complaint_text : l.complaint_phone;
      secure_wipe(target);
      target = l.edit_buffer;
      secure_wipe(l.edit_buffer);
      l.edit_target.clear();
      ui.changed();
    }
  }
}

}  // namespace bianmin::ui
