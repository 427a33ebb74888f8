// The devices: each one's test, and the settings chosen from what is
// plugged in.
#include <algorithm>

#include "screens/service_screens.h"

namespace bianmin::ui {
namespace {

using session::DeviceKind;

// Chosen among what is plugged in (settings) …
constexpr DeviceKind kDevices[] = {DeviceKind::idcard, DeviceKind::printer, DeviceKind::camera, DeviceKind::scanner};
// … and tested (the speaker is the default audio device).
constexpr DeviceKind kTested[] = {DeviceKind::idcard, DeviceKind::printer, DeviceKind::camera, DeviceKind::scanner,
                                  DeviceKind::speaker};

const std::string& current_of(const session::DeviceChoices& c, DeviceKind d) {
  switch (d) {
    case DeviceKind::idcard: return c.current_idcard;
    case DeviceKind::printer: return c.current_printer;
    case DeviceKind::camera: return c.current_camera;
    case DeviceKind::scanner: return c.current_scanner;
    case DeviceKind::speaker: break;
  }
  return c.current_idcard;
}

const std::vector<std::string>& options_of(const session::DeviceChoices& c, DeviceKind d) {
  switch (d) {
    case DeviceKind::idcard: return c.idcard;
    case DeviceKind::printer: return c.printer;
    case DeviceKind::camera: return c.camera;
    case DeviceKind::scanner: return c.scanner;
    case DeviceKind::speaker: break;
  }
  return c.idcard;
}

}  // namespace

void draw_service_devices(ScreenContext& c, const session::ServiceView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  r = draw_service_frame(c, v, r, ui.t("service.devices.title"), true);
  const DeviceStatus& st = c.status;
  const std::string states[] = {st.reader_state, st.printer_state, st.camera_state, st.scanner_state, ui.t("service.speaker_state")};
  for (std::size_t i = 0; i < std::size(kTested); ++i) {
    const std::string name = session::device_kind_name(kTested[i]);
    Rect row = r.cut_top(m.target() * 1.3f);
    r.cut_top(m.gap());
    if (ui.button("service.test." + name, ui.t("service.device." + name) + " — " + states[i], row))
      ui.emit_service(session::TestDevice{kTested[i]});
  }
}

void draw_service_device_test(ScreenContext& c, const session::ServiceView& v, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const std::string name = session::device_kind_name(v.device);
  r = draw_service_frame(c, v, r, ui.t("service.device." + name), true);
  if (ui.button("service.devices", ui.t("service.devices.all"), r.cut_bottom(m.target()))) ui.emit_service(session::ServiceGo{session::ServiceScreen::devices});
  r.cut_bottom(m.gap());
  TextStyle ps;
  ps.font = ui.title();
  ui.text(r.cut_top(ui.title()->FontSize * 2.6f), ui.t("service.test_prompt." + name), ps);
  if (v.test) r.cut_top(draw_lines(c, r, v.test->lines, v.test->ok ? color::kOk : color::kDanger) + m.gap());
  if ((v.device == DeviceKind::printer || v.device == DeviceKind::speaker) &&
      ui.button("service.test.again", ui.t(v.device == DeviceKind::speaker ? "service.test.again_speaker" : "service.test.again"),
                r.cut_top(m.target())))
    ui.emit_service(session::TestDevice{v.device});
  // The camera's live picture, so the technician can aim and focus it.
  if (v.device == DeviceKind::camera && c.preview.texture && c.preview.live) {
    const float s = std::min(r.w / static_cast<float>(c.preview.width), r.h / static_cast<float>(c.preview.height));
    const float w = static_cast<float>(c.preview.width) * s, h = static_cast<float>(c.preview.height) * s;
    ui.dl()->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(c.preview.texture)), {r.x + (r.w - w) / 2, r.y},
                      {r.x + (r.w - w) / 2 + w, r.y + h});
  }
}

void draw_service_settings(ScreenContext& c, const session::ServiceView& v, Rect r, const Rect& full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  r = draw_service_frame(c, v, r, ui.t("service.settings.title"), true);
  const auto& ch = v.choices;
  for (DeviceKind d : kDevices) {
    const std::string name = session::device_kind_name(d);
    const std::string& cur = current_of(ch, d);
    if (draw_field(c, r.cut_top(m.target() * 1.3f), "service.set." + name, ui.t("service.device." + name),
                   cur.empty() ? ui.t("service.none") : cur, !v.busy))
      c.local.chooser = "device:" + name;
    r.cut_top(m.gap());
  }
  if (draw_field(c, r.cut_top(m.target() * 1.3f), "service.set.profile", ui.t("service.printer_profile"),
                 ch.current_profile, !v.busy))
    c.local.chooser = "profile";
  r.cut_top(m.gap());
  if (draw_field(c, r.cut_top(m.target() * 1.3f), "service.set.volume", ui.t("service.voice_volume"), ch.current_volume,
                 !v.busy))
    c.local.chooser = "volume";
  // The chooser over the screen, from what is plugged in.
  if (c.local.chooser.empty()) return;
  if (c.local.chooser == "profile" || c.local.chooser == "volume") {
    const bool profile = c.local.chooser == "profile";
    const auto& options = profile ? ch.printer_profiles : ch.voice_volumes;
    const int k = draw_chooser(c, full, ui.t(profile ? "service.printer_profile" : "service.voice_volume"), options, -1);
    if (k >= 0) ui.emit_service(session::ChooseSetting{options[static_cast<std::size_t>(k)]});
    if (k != -1) c.local.chooser.clear();
    return;
  }
  for (DeviceKind d : kDevices) {
    if (c.local.chooser != std::string("device:") + session::device_kind_name(d)) continue;
    std::vector<std::string> opts = options_of(ch, d);
    opts.push_back(ui.t("service.none"));
    const auto at = std::find(opts.begin(), opts.end(), current_of(ch, d));
    const int k = draw_chooser(c, full, ui.t(std::string("service.device.") + session::device_kind_name(d)), opts,
                               at == opts.end() ? -1 : static_cast<int>(at - opts.begin()));
    if (k >= 0)
      ui.emit_service(session::ChooseDevice{d, k + 1 == static_cast<int>(opts.size()) ? "" : opts[static_cast<std::size_t>(k)]});
    if (k != -1) c.local.chooser.clear();
  }
}

}  // namespace bianmin::ui
