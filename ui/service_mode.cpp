#include "service_mode.h"

#include "base/bytes.h"
#include "camera/frame_quality.h"
#include "common/enrol_qr.h"

namespace bianmin::ui {

ServiceMode::ServiceMode(ServiceShellOptions options, Shell& shell, Inbox& inbox)
    : shell_(std::move(options), shell, inbox) {}

void ServiceMode::set_screen(float width, float height, float px_per_mm) {
  gesture_.set_geometry({width, height, px_per_mm});
}

void ServiceMode::touch_down(int finger, float x, float y, bool resident_idle) {
  if (open()) {
    feed(session::Touch{});
    return;
  }
  if (resident_idle) gesture_.down(finger, x, y, Clock::now());
}

void ServiceMode::touch_move(int finger, float x, float y) { gesture_.move(finger, x, y); }

void ServiceMode::touch_up(int finger) { gesture_.up(finger, Clock::now()); }

bool ServiceMode::poll(Clock::time_point now) {
  if (!gesture_.poll(now) || open()) return false;
  // What the unlock screen may accept is the store's to say.
  shell_.open_service();
  return true;
}

std::optional<ServiceMode::Clock::time_point> ServiceMode::next_deadline() const { return gesture_.next_deadline(); }

void ServiceMode::feed(session::ServiceInput in) {
  const bool was_open = open();
  for (auto& e : session_.handle(in)) shell_.carry_out(std::move(e));
  if (was_open && !open()) local_.wipe();
}

void ServiceMode::code(std::string raw) {
  const bool enrol = sync::is_enrol_qr(raw);
  feed(session::ServiceCode{raw, enrol});
  secure_wipe(raw);
}

void ServiceMode::preview(const PreviewFrame& f) {
  const auto& v = view();
  if (v.screen != session::ServiceScreen::device_test || v.device != session::DeviceKind::camera) return;
  // Twice a second is enough to follow a technician turning the focus ring.
  const auto now = Clock::now();
  if (now - last_measure_ < std::chrono::milliseconds(500)) return;
  last_measure_ = now;
  drivers::camera::Image im;
  im.width = f.width;
  im.height = f.height;
  im.channels = 3;
  im.px.assign(f.rgb.begin(), f.rgb.end());
  const auto q = drivers::camera::measure_frame(im);
  // A page on the desk: mid brightness and clear edges.
  const bool ok = q.brightness > 60 && q.brightness < 230 && q.focus > 100;
  feed(session::DeviceTested{session::DeviceKind::camera, ok,
                             {std::to_string(f.width) + " x " + std::to_string(f.height),
                              "brightness " + std::to_string(static_cast<int>(q.brightness)),
                              "focus " + std::to_string(static_cast<int>(q.focus))}});
}

}  // namespace bianmin::ui
