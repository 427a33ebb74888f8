// The resident session: a state machine over the screens of view.h.
//
// handle() takes one input (a touch turned into an intent, or an event from
// a worker) and returns the effects for the shell to carry out. It never
// blocks and never does I/O, so every flow can be driven and checked
// without a screen, a device or a network (tests/firmware/session_test.cpp).
//
// Privacy: an idle timeout (with a visible countdown), the card being
// lifted during a flow, and "done" end the session; ending it overwrites
// every buffer that held the resident's data and asks the shell (DoWipe) to
// do the same with its own.
#pragma once

#include <chrono>
#include <vector>

#include <memory>

#include "catalog/model.h"
#include "catalog/search.h"
#include "session/application_flow.h"
#include "session/effects.h"
#include "session/idle_timer.h"
#include "session/inputs.h"
#include "session/view.h"

namespace bianmin::session {

struct SessionConfig {
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds countdown{15};
  int elder_timeout_factor = 2;  // elder mode: slower timeouts
  std::vector<domain::QueueLine> lines;  // the hall's service lines for 取号
};

class ResidentSession {
 public:
  ResidentSession(const catalog::Catalog* catalog, SessionConfig config);
  // The flow holds a reference into the view.
  ResidentSession(const ResidentSession&) = delete;
  ResidentSession& operator=(const ResidentSession&) = delete;

  std::vector<Effect> handle(const Input& input);
  const View& view() const { return view_; }
  // The catalogue was replaced (syncd installed a new one).
  void set_catalog(const catalog::Catalog* catalog);

 private:
  // One function per input, in the order of a resident's journey.
  void on(const Touch&);
  void on(const GoHome&);
  void on(const GoBack&);
  void on(const OpenLists&);
  void on(const Browse&);
  void on(const SearchText&);
  void on(const OpenItem&);
  void on(const StartApply&);
  void on(const IdCard&);
  void on(const ConfirmIdentity&);
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
  void on(const Rate&);
  void on(const SkipRating&);
  void on(const Finish&);
  void on(const StartProgressQuery&);
  void on(const QueryReceipt&);
  void on(const CodeScanned&);
  void on(const ProgressAnswer&);
  void on(const StartComplaint&);
  void on(const SubmitComplaint&);
  void on(const FeedbackStored&);
  void on(const SetLanguage&);
  void on(const SetElderMode&);
  void on(const SetVoice&);
  void on(const ReadAloud&) {}
  void on(const Tick&);
  void on(const TakeTicket&);
  void on(const ChooseLine&);
  void on(const TicketIssued&);

  void go(Screen s);
  void start_session_if_idle();
  void end_session(const char* notice);
  void wipe_resident_data();
  void refresh_results();
  bool in_apply_flow() const;
  std::chrono::seconds idle_limit() const;

  const catalog::Catalog* catalog_;
  // Built once per catalogue, not per keystroke.
  std::unique_ptr<catalog::SearchIndex> index_;
  SessionConfig config_;
  View view_;
  ApplicationFlow flow_;  // the application's steps, shared with the counter
  std::vector<Effect> out_;
  Clock::time_point now_{};
  IdleTimer idle_;
  bool active_ = false;  // a resident is using the terminal
};

}  // namespace bianmin::session
