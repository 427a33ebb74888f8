#include "session/service_session.h"

#include <algorithm>
#include <type_traits>

#include "domain/masking.h"

namespace bianmin::session {

const char* service_screen_key(ServiceScreen s) {
  switch (s) {
    case ServiceScreen::closed: return "closed";
    case ServiceScreen::unlock: return "service_unlock";
    case ServiceScreen::checklist: return "service_checklist";
    case ServiceScreen::enrol: return "service_enrol";
    case ServiceScreen::devices: return "service_devices";
    case ServiceScreen::device_test: return "service_device_test";
    case ServiceScreen::settings: return "service_settings";
    case ServiceScreen::queue: return "service_queue";
    case ServiceScreen::export_logs: return "service_export";
    case ServiceScreen::system_update: return "service_update";
    case ServiceScreen::factory_reset: return "service_reset";
  }
  return "?";
}

const char* device_kind_name(DeviceKind d) {
  switch (d) {
    case DeviceKind::idcard: return "idcard";
    case DeviceKind::printer: return "printer";
    case DeviceKind::camera: return "camera";
    case DeviceKind::scanner: return "scanner";
    case DeviceKind::speaker: return "speaker";
  }
  return "?";
}

namespace {

// What the technician does (restarts the idle timer); workers' answers and
// the clock do not.
template <class T>
constexpr bool kIsTechnicianAction =
    std::is_same_v<T, Touch> || std::is_same_v<T, OpenService> || std::is_same_v<T, EnterPin> ||
    std::is_same_v<T, ServiceGo> || std::is_same_v<T, RunChecks> || std::is_same_v<T, TestDevice> ||
    std::is_same_v<T, ChooseDevice> || std::is_same_v<T, ChooseSetting> || std::is_same_v<T, LoadQueue> ||
    std::is_same_v<T, RetryApplication> || std::is_same_v<T, DiscardApplication> || std::is_same_v<T, ExportLogs> ||
    std::is_same_v<T, InstallUpdate> || std::is_same_v<T, ConfirmFactoryReset> || std::is_same_v<T, LeaveService> || std::is_same_v<T, ServiceCode> ||
    std::is_same_v<T, IdCard>;

// What a locked service mode still answers: the way in, the clock, and the
// way out. Everything else needs a technician.
template <class T>
constexpr bool kAnswersWhileLocked =
    std::is_same_v<T, Touch> || std::is_same_v<T, Tick> || std::is_same_v<T, OpenService> ||
    std::is_same_v<T, EnterPin> || std::is_same_v<T, IdCard> || std::is_same_v<T, CredentialChecked> ||
    std::is_same_v<T, ServiceCode> || std::is_same_v<T, LeaveService>;

}  // namespace

std::vector<ServiceEffect> ServiceSession::handle(const ServiceInput& input) {
  out_.clear();
  std::visit(
      [this](const auto& in) {
        using T = std::decay_t<decltype(in)>;
        if (!view_.open() && !std::is_same_v<T, OpenService> && !std::is_same_v<T, Tick>) return;
        if (!view_.unlocked() && !kAnswersWhileLocked<T>) return;
        if constexpr (kIsTechnicianAction<T>) {
          idle_.activity(now_);
          view_.countdown = -1;
          view_.notice.clear();
        }
        const bool was_busy = view_.busy;
        on(in);
        // The technician waited for the work: their idle time starts now.
        if (was_busy && !view_.busy) idle_.activity(now_);
      },
      input);
  return std::move(out_);
}

void ServiceSession::audit(std::string type, std::string detail) {
  out_.push_back(DoAudit{std::move(type), std::move(detail)});
}

void ServiceSession::start_work() {
  view_.busy = true;
  view_.message.clear();
}

// ---- getting in ----

void ServiceSession::on(const OpenService& o) {
  if (view_.open()) return;
  view_ = ServiceView{};
  view_.screen = ServiceScreen::unlock;
  view_.enrolled = o.enrolled;
  view_.pin_set = o.pin_set;
  idle_.activity(now_);
  audit("service_requested");
}

void ServiceSession::on(const EnterPin& e) {
  if (view_.screen != ServiceScreen::unlock || view_.busy) return;
  if (!view_.pin_set) {
    view_.notice = "service.no_pin_set";
    return;
  }
  start_work();
  out_.push_back(DoCheckPin{e.pin});
}

void ServiceSession::on(const IdCard& e) {
  const bool read = e.event.kind == domain::IdCardEventKind::card_read && e.event.card;
  if (view_.screen == ServiceScreen::unlock) {
    if (!read || view_.busy) return;
    start_work();
    out_.push_back(DoCheckCard{e.event.card->id_number});
    return;
  }
  if (view_.screen == ServiceScreen::device_test && view_.device == DeviceKind::idcard) card_test_result(e);
}

void ServiceSession::on(const CredentialChecked& c) {
  if (view_.screen != ServiceScreen::unlock) return;
  view_.busy = false;
  if (c.ok) {
    unlock(c.technician);
    return;
  }
  view_.attempts_left = c.attempts_left;
  view_.locked_for_s = c.locked_for_s;
  view_.notice = c.locked_for_s > 0 ? "service.locked" : "service.credential_wrong";
  audit("service_denied", c.locked_for_s > 0 ? "locked" : "wrong credential");
}

void ServiceSession::unlock(const std::string& technician) {
  view_.technician = technician;
  view_.attempts_left = -1;
  view_.locked_for_s = 0;
  audit("service_enter", technician);
  view_.screen = ServiceScreen::checklist;
  start_work();
  out_.push_back(DoRunChecks{false});
}

// A scanned code: the enrolment QR (the way in on a fresh terminal, and the
// enrol screen's input), or the scanner's test.
void ServiceSession::on(const ServiceCode& c) {
  if (view_.screen == ServiceScreen::unlock && !view_.enrolled && c.enrol_payload && !view_.busy) {
    // The one-time code inside is the credential: the central accepts it
    // once, for this terminal id only.
    view_.technician = "enrolment-code";
    audit("service_enter", view_.technician);
    view_.screen = ServiceScreen::enrol;
  }
  if (view_.screen == ServiceScreen::enrol) {
    if (view_.busy) return;
    if (!c.enrol_payload) {
      view_.notice = "service.not_enrol_code";
      return;
    }
    start_work();
    out_.push_back(DoEnrol{c.text});
    return;
  }
  if (view_.screen == ServiceScreen::device_test && view_.device == DeviceKind::scanner) {
    // An enrolment code is a one-time secret: shown only by its kind.
    view_.test = DeviceTested{DeviceKind::scanner, true, {c.enrol_payload ? "bianmin-enrol:?…" : c.text}};
    audit("device_test", "scanner: ok");
  }
}

// ---- the menu ----

void ServiceSession::on(const ServiceGo& g) {
  if (g.screen == ServiceScreen::closed || g.screen == ServiceScreen::unlock) return;
  view_.screen = g.screen;
  view_.message.clear();
  view_.busy = false;
  switch (g.screen) {
    case ServiceScreen::checklist:
      if (!view_.report) {  // first visit, or the terminal changed (enrolled)
        start_work();
        out_.push_back(DoRunChecks{false});
      }
      break;
    case ServiceScreen::settings: start_work(); out_.push_back(DoListDevices{}); break;
    case ServiceScreen::queue: start_work(); out_.push_back(DoLoadQueue{}); break;
    case ServiceScreen::system_update: start_work(); out_.push_back(DoFindBundles{}); break;
    case ServiceScreen::factory_reset: {
      // Four digits to type back, different at every visit: no tap by
      // accident and no habit can erase a terminal.
      const auto t = static_cast<unsigned long long>(now_.time_since_epoch().count());
      view_.reset_code = std::to_string(1000 + (t / 7919) % 9000);
      break;
    }
    default: break;
  }
}

void ServiceSession::on(const RunChecks& r) {
  if (view_.busy) return;
  start_work();
  out_.push_back(DoRunChecks{r.fix});
  if (r.fix) audit("service_fix");
}

void ServiceSession::on(const ChecksDone& d) {
  view_.busy = false;
  view_.report = d.report;
}

void ServiceSession::on(const EnrolDone& e) {
  if (view_.screen != ServiceScreen::enrol) return;
  view_.busy = false;
  view_.message = e.message;
  if (!e.ok) {
    view_.notice = "service.enrol_failed";
    return;
  }
  view_.enrolled = true;
  view_.report.reset();  // what the checklist said before is out of date
  view_.notice = "service.enrolled";
  audit("service_enrolled", e.terminal_id);
}

// ---- devices ----

void ServiceSession::on(const TestDevice& t) {
  view_.screen = ServiceScreen::device_test;
  view_.device = t.device;
  view_.test.reset();
  view_.busy = false;
  audit("device_test", std::string(device_kind_name(t.device)) + ": started");
  // The card and the scanner answer when the technician presents something.
  if (t.device == DeviceKind::printer || t.device == DeviceKind::camera || t.device == DeviceKind::speaker) {
    start_work();
    out_.push_back(DoTestDevice{t.device});
  }
}

void ServiceSession::card_test_result(const IdCard& e) {
  using K = domain::IdCardEventKind;
  DeviceTested r{DeviceKind::idcard, false, {}};
  switch (e.event.kind) {
    case K::card_read: {
      if (!e.event.card) return;
      const auto& c = *e.event.card;
      // Masked as on every screen: the technician's card, or a resident's
      // lent for the test, is on a screen others can see.
      r.ok = c.id_number_valid;
      r.lines = {domain::mask_name(c.name.empty() ? c.name_en : c.name), domain::mask_id_number(c.id_number),
                 c.id_number_valid ? "check digit ok" : "check digit wrong", "valid until " + c.valid_until};
      break;
    }
    case K::read_failed: r.lines = {"read failed: " + e.event.error_code}; break;
    case K::reader_absent: r.lines = {"reader absent: " + e.event.message}; break;
    default: return;  // present / lifted: nothing to show
  }
  view_.test = std::move(r);
  audit("device_test", std::string("idcard: ") + (view_.test->ok ? "ok" : "failed"));
}

void ServiceSession::on(const DeviceTested& d) {
  if (view_.screen != ServiceScreen::device_test || d.device != view_.device) return;
  view_.busy = false;
  view_.test = d;
  audit("device_test", std::string(device_kind_name(d.device)) + (d.ok ? ": ok" : ": failed"));
}

void ServiceSession::on(const ChooseDevice& c) {
  if (view_.screen != ServiceScreen::settings || view_.busy) return;
  start_work();
  const std::string key = std::string("devices.") + device_kind_name(c.device);
  audit("setting_changed", key + "=" + c.spec);
  out_.push_back(DoSaveSetting{key, c.spec});
}

void ServiceSession::on(const ChooseSetting& p) {
  if (view_.screen != ServiceScreen::settings || view_.busy) return;
  const auto eq = p.assignment.find('=');
  if (eq == std::string::npos || eq == 0) return;  // the screen offers KEY=VALUE only
  start_work();
  audit("setting_changed", p.assignment);
  out_.push_back(DoSaveSetting{p.assignment.substr(0, eq), p.assignment.substr(eq + 1)});
}

void ServiceSession::on(const DevicesListed& l) {
  if (view_.screen != ServiceScreen::settings) return;
  view_.busy = false;
  view_.choices = l.choices;
}

// ---- the queue ----

void ServiceSession::on(const LoadQueue&) {
  if (view_.screen != ServiceScreen::queue || view_.busy) return;
  start_work();
  out_.push_back(DoLoadQueue{});
}

void ServiceSession::on(const QueueListed& q) {
  if (view_.screen != ServiceScreen::queue) return;
  view_.busy = false;
  view_.queue = q.entries;
}

void ServiceSession::on(const RetryApplication& r) {
  if (view_.screen != ServiceScreen::queue || view_.busy) return;
  start_work();
  out_.push_back(DoRetry{r.client_id, view_.technician});
}

void ServiceSession::on(const DiscardApplication& d) {
  if (view_.screen != ServiceScreen::queue || view_.busy) return;
  // A resident's application is given up only with a reason on record.
  if (d.reason.find_first_not_of(" \t") == std::string::npos) {
    view_.notice = "service.reason_required";
    return;
  }
  start_work();
  out_.push_back(DoDiscard{d.client_id, view_.technician, d.reason});
}

// ---- export, reset, leaving ----

void ServiceSession::on(const ExportLogs&) {
  if (view_.screen != ServiceScreen::export_logs || view_.busy) return;
  start_work();
  out_.push_back(DoExportLogs{view_.technician});
}

// ---- system update from a USB stick ----

void ServiceSession::on(const BundlesFound& f) {
  if (view_.screen != ServiceScreen::system_update) return;
  view_.busy = false;
  view_.update = f;
}

void ServiceSession::on(const InstallUpdate& i) {
  if (view_.screen != ServiceScreen::system_update || view_.busy) return;
  // Only a bundle the shell found on the stick, never a path from elsewhere.
  const auto& listed = view_.update.bundles;
  if (std::none_of(listed.begin(), listed.end(), [&](const StickBundleFile& b) { return b.path == i.path; })) return;
  start_work();
  view_.installing = true;
  audit("update_install", view_.technician + ": " + i.path.substr(i.path.rfind('/') + 1));
  out_.push_back(DoInstallUpdate{i.path, view_.technician});
}

void ServiceSession::on(const ServiceActionDone& d) {
  view_.busy = false;
  view_.installing = false;
  view_.message = d.message;
  view_.notice = d.ok ? "service.done" : "service.failed";
  // What the action changed is shown as it is now.
  if (view_.screen == ServiceScreen::queue) {
    start_work();
    view_.message = d.message;
    out_.push_back(DoLoadQueue{});
  } else if (view_.screen == ServiceScreen::settings) {
    start_work();
    view_.message = d.message;
    out_.push_back(DoListDevices{});
  } else if (view_.screen == ServiceScreen::system_update) {
    start_work();
    view_.message = d.message;
    out_.push_back(DoFindBundles{});
  }
}

void ServiceSession::on(const ConfirmFactoryReset& c) {
  if (view_.screen != ServiceScreen::factory_reset || view_.busy) return;
  if (c.typed != view_.reset_code) {
    view_.notice = "service.reset_code_wrong";
    return;
  }
  start_work();
  out_.push_back(DoFactoryReset{view_.technician});
}

void ServiceSession::on(const FactoryResetDone& d) {
  if (view_.screen != ServiceScreen::factory_reset) return;
  view_.busy = false;
  view_.message = d.message;
  view_.notice = d.ok ? "service.reset_done" : "service.failed";
}

void ServiceSession::on(const LeaveService&) { close("service.left"); }

void ServiceSession::close(const char* notice) {
  if (view_.unlocked()) audit("service_leave", view_.technician + ": " + notice);
  view_ = ServiceView{};
  view_.notice = notice;
  out_.push_back(DoCloseService{});
}

void ServiceSession::on(const Tick& t) {
  now_ = t.now;
  if (!idle_.started()) idle_.activity(now_);
  if (!view_.open()) return;
  if (view_.busy) {  // a check or an enrolment runs: never walk away from it
    view_.countdown = -1;
    return;
  }
  const bool locked = !view_.unlocked();
  const auto state = idle_.at(now_, locked ? config_.unlock_timeout : config_.idle_timeout,
                              locked ? std::chrono::seconds(0) : config_.countdown);
  if (state.expired) {
    close("service.timed_out");
    return;
  }
  view_.countdown = state.countdown;
}

}  // namespace bianmin::session
