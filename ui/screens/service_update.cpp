// The system update screen: the root slots as RAUC reports them, the signed
// bundles on the technician's USB stick, one button each to install it.
#include <algorithm>

#include "screens/service_screens.h"

namespace bianmin::ui {

void draw_service_update(ScreenContext& c, const session::ServiceView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  r = draw_service_frame(c, v, r, ui.t("service.update.title"), !v.installing);
  r.cut_top(draw_lines(c, r, v.update.system, color::kText) + m.gap());
  TextStyle hs;
  hs.color = color::kMuted;
  if (v.installing) {
    const std::string wait = ui.t("service.update.installing");
    ui.text(r.cut_top(ui.measure(wait, ui.body(), 0, r.w)), wait, hs);
    return;
  }
  const std::string hint = ui.t(v.update.stick.empty() ? "service.update.no_stick"
                                : v.update.bundles.empty() ? "service.update.no_bundle"
                                                           : "service.update.hint");
  ui.text(r.cut_top(ui.measure(hint, ui.body(), 0, r.w)), hint, hs);
  r.cut_top(m.gap());
  if (!v.busy && ui.button("update.rescan", ui.t("service.update.rescan"), r.cut_top(m.target())))
    ui.emit_service(session::ServiceGo{session::ServiceScreen::system_update});
  r.cut_top(m.gap());
  const auto& bundles = v.update.bundles;
  const int rows = std::max(1, static_cast<int>(r.h / (m.target() + m.gap())));
  for (int i = 0; i < std::min<int>(rows, static_cast<int>(bundles.size())); ++i) {
    const auto& b = bundles[static_cast<std::size_t>(i)];
    const std::string label = ui.f("service.update.install", {{"name", b.name}, {"mb", std::to_string(b.bytes >> 20)}});
    if (!v.busy && ui.button("update.install." + std::to_string(i), label, r.cut_top(m.target()), Style::primary))
      ui.emit_service(session::InstallUpdate{b.path});
    r.cut_top(m.gap());
  }
}

}  // namespace bianmin::ui
