// The PIN pad of every role that signs in: the technician's service PIN,
// the clerk's PIN at the counter.
#include "base/bytes.h"
#include "screens/screens.h"

namespace bianmin::ui {

PinKey pin_pad(ScreenContext& c, Rect r, std::string_view prompt) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  std::string& pin = c.local.edit_buffer;
  Rect shown = r.cut_top(m.target());
  ui.frame(shown, color::kPrimary, 3.0f, m.radius());
  TextStyle ds;
  ds.font = ui.title();
  ds.align = Align::center;
  ds.vcenter = true;
  std::string dots;
  for (std::size_t i = 0; i < pin.size(); ++i) dots += "● ";
  ui.text(shown, dots.empty() ? std::string(prompt) : dots, ds);
  r.cut_top(m.gap());
  const float side = std::min(m.target() * 1.2f, (r.h - 3 * m.gap()) / 4);
  const float w = std::min(r.w, side * 3 * 1.6f + 2 * m.gap());
  Rect pad{r.x + (r.w - w) / 2, r.y, w, side * 4 + 3 * m.gap()};
  const auto cells = grid(pad, 4, 3, m.gap());
  static const char* kKeys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"};
  PinKey pressed = PinKey::none;
  for (std::size_t i = 0; i < 12; ++i) {
    const std::string k = kKeys[i];
    const std::string label = k == "del" ? ui.t("service.pin_del") : k == "ok" ? ui.t("service.pin_ok") : k;
    if (!ui.button("pin." + k, label, cells[i], k == "ok" ? Style::primary : Style::secondary, ui.title())) continue;
    pressed = PinKey::digit;
    if (k == "del") {
      if (!pin.empty()) pin.pop_back();
    } else if (k == "ok") {
      pressed = PinKey::ok;
    } else if (pin.size() < 12) {
      pin += k;
    }
    ui.changed();
  }
  return pressed;
}

}  // namespace bianmin::ui
