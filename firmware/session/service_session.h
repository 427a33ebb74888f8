// The technician's service mode: a state machine over the screens of
// service_view.h, beside the resident session and built the same way.
//
// handle() takes one input and returns the effects for the shell to carry
// out; it never blocks and never does I/O, so every flow is driven and
// checked headless (tests/firmware/service_session_test.cpp).
//
// Security: nothing but the unlock screen answers until a credential was
// accepted by the shell (a PIN, a registered technician card, or on a fresh,
// unenrolled terminal the enrolment QR, whose one-time code the central
// checks). Entering, every action and leaving are audited with who did it.
// Service mode closes by itself after an idle time, as a resident session
// does, so a terminal is never left open in a hall.
#pragma once

#include <chrono>
#include <vector>

#include "session/idle_timer.h"
#include "session/service_effects.h"
#include "session/service_inputs.h"
#include "session/service_view.h"

namespace bianmin::session {

struct ServiceConfig {
  std::chrono::seconds unlock_timeout{30};  // the PIN pad left alone
  std::chrono::seconds idle_timeout{300};   // unlocked and left alone
  std::chrono::seconds countdown{30};
};

class ServiceSession {
 public:
  explicit ServiceSession(ServiceConfig config = {}) : config_(config) {}

  std::vector<ServiceEffect> handle(const ServiceInput& input);
  const ServiceView& view() const { return view_; }

 private:
  // One function per input, in the order a technician meets them.
  void on(const Touch&) {}
  void on(const Tick&);
  void on(const OpenService&);
  void on(const EnterPin&);
  void on(const IdCard&);
  void on(const CredentialChecked&);
  void on(const ServiceCode&);
  void on(const ServiceGo&);
  void on(const RunChecks&);
  void on(const ChecksDone&);
  void on(const EnrolDone&);
  void on(const TestDevice&);
  void on(const DeviceTested&);
  void on(const ChooseDevice&);
  void on(const ChooseSetting&);
  void on(const DevicesListed&);
  void on(const LoadQueue&);
  void on(const QueueListed&);
  void on(const RetryApplication&);
  void on(const DiscardApplication&);
  void on(const ExportLogs&);
  void on(const BundlesFound&);
  void on(const InstallUpdate&);
  void on(const ServiceActionDone&);
  void on(const ConfirmFactoryReset&);
  void on(const FactoryResetDone&);
  void on(const LeaveService&);

  void unlock(const std::string& technician);
  void close(const char* notice);
  void audit(std::string type, std::string detail = {});
  void start_work();  // busy until the worker answers
  void card_test_result(const IdCard& e);

  ServiceConfig config_;
  ServiceView view_;
  std::vector<ServiceEffect> out_;
  Clock::time_point now_{};
  IdleTimer idle_;
};

}  // namespace bianmin::session
