// The window clerk's session at the counter terminal (一口受理): a state
// machine over the screens of clerk_inputs.h, beside the resident session
// and built the same way — handle() takes one input and returns effects,
// never blocks, never does I/O (tests/firmware/clerk_session_test.cpp).
//
//   sign_in ─ok─▶ waiting_line ─call next / no ticket─▶ choose_item ─▶ identify
//      ▲              ▲                                   (card │ typed in)
//      │              │                                         ▼
//    idle, sign out   └── next applicant ◀─ accepted ◀─ accepting ◀─ review ◀─ materials ◀─ form
//
// The application's own steps (identity, form, materials, submit, print)
// are the shared ApplicationFlow, with channel "window" and the signed-in
// clerk's id on every acceptance.
//
// Privacy: the counter locks itself after an idle time and on sign-out;
// locking wipes everything of the applicant being served and asks the
// shell (DoWipe) to do the same with its own copies. A locked counter shows
// the sign-in screen and nothing else.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "catalog/search.h"
#include "session/application_flow.h"
#include "session/clerk_effects.h"
#include "session/clerk_view.h"
#include "session/idle_timer.h"

namespace bianmin::session {

struct ClerkConfig {
  std::chrono::seconds idle_timeout{180};
  std::chrono::seconds countdown{20};
  std::string window_no = "1";          // the number residents are sent to ("请 A023 号到 3 号窗口")
  std::vector<std::string> lines{"A"};  // the service lines this window calls
};

class ClerkSession {
 public:
  ClerkSession(const catalog::Catalog* catalog, ClerkConfig config);
  ClerkSession(const ClerkSession&) = delete;  // the flow holds a reference into the view
  ClerkSession& operator=(const ClerkSession&) = delete;

  std::vector<ClerkEffect> handle(const ClerkInput& input);
  const ClerkView& view() const { return view_; }
  const ClerkConfig& config() const { return config_; }
  void set_catalog(const catalog::Catalog* catalog);

 private:
  // One function per input, in the order of a clerk's day.
  void on(const Touch&) {}
  void on(const Tick&);
  void on(const SetLanguage&);
  void on(const ClerkSignIn&);
  void on(const ClerkChecked&);
  void on(const SignOut&);
  void on(const WaitingLine&);
  void on(const CallNext&);
  void on(const TicketCalled&);
  void on(const RecallTicket&);
  void on(const TicketNoShow&);
  void on(const ServeWithoutTicket&);
  void on(const SearchText&);
  void on(const OpenItem&);
  void on(const IdCard&);
  void on(const TypeIdentity&);
  void on(const ManualIdentity&);
  void on(const EditField&);
  void on(const FormNext&);
  void on(const CapturePage&);
  void on(const PageCaptured&);
  void on(const CaptureFailed&);
  void on(const RemoveLastPage&);
  void on(const MaterialsNext&);
  void on(const SubmitNow&);
  void on(const Submitted&);
  void on(const SubmitFailed&);
  void on(const Printed&);
  void on(const PrintFailed&);
  void on(const ReprintReceipt&);
  void on(const GoBack&);
  void on(const CancelApplication&);
  void on(const NextApplicant&);

  void go(CounterScreen s) { view_.screen = s; }
  bool serving() const;  // between choosing an item and the slip
  void set_ticket_state(domain::TicketState state);
  void drop_application();
  void lock(const char* notice, const char* audit_type);
  void audit(std::string type, std::string detail = {});

  const catalog::Catalog* catalog_;
  std::unique_ptr<catalog::SearchIndex> index_;
  ClerkConfig config_;
  ClerkView view_;
  ApplicationFlow flow_;
  std::vector<ClerkEffect> out_;
  Clock::time_point now_{};
  IdleTimer idle_;
};

}  // namespace bianmin::session
