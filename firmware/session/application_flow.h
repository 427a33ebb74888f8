// The steps every application goes through, whoever drives it: take the
// applicant's identity, fill the form, capture the materials, submit
// durably, print the slip. The resident session (kiosk) and the clerk
// session (counter) each decide *when* a step may happen — which screen
// they are on, who is signed in — and call the same step here, so the rules
// of an application (what may be edited, what is validated, what is wiped
// when) exist once.
//
// Pure like the sessions: it changes an ApplicationState and collects the
// effects for the shell; the session that owns it passes them on.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "session/application_state.h"
#include "session/effects.h"

namespace bianmin::session {

using FlowEffect = std::variant<DoCapture, DoSubmit, DoPrintReceipt, DoWakeSync, DoAudit>;

class ApplicationFlow {
 public:
  // `notice` is the owning view's notice (a message key) for what went wrong.
  ApplicationFlow(ApplicationState& app, std::string& notice, domain::Channel channel)
      : app_(app), notice_(notice), channel_(channel) {}

  // Whose acceptance this is (channel "window" only); empty when no clerk.
  void set_clerk(std::string clerk_id) { clerk_id_ = std::move(clerk_id); }

  // ---- identity ----
  // The card read by the reader becomes the applicant (verified_by
  // id_card_reader); audited with the masked number.
  void take_card(const domain::IdentityCard& card);
  // An identity typed in by a clerk who has seen the document.
  void take_manual(domain::Applicant applicant);
  // The form starts from what the identity says.
  void prefill();

  // ---- form ----
  // Contact details are editable; what the card says is not.
  void edit(const EditField& f);
  // Validates everything but the materials; true when nothing is wrong.
  bool check_form();

  // ---- materials ----
  bool start_capture(const std::string& material_id);  // → DoCapture
  // True when the page was for this application (not a late one).
  bool page_captured(const PageCaptured& p);
  void capture_failed(const CaptureFailed& f);
  void remove_last_page(const std::string& material_id);
  bool check_materials();

  // ---- submit and print ----
  bool submit();  // validates all; → DoSubmit
  void submitted(const Submitted& s);  // → DoWakeSync, DoPrintReceipt
  void submit_failed(const SubmitFailed& f);
  bool printed();
  void print_failed(const PrintFailed& f);
  bool reprint();  // → DoPrintReceipt

  domain::ApplicationDraft draft() const;

  // The effects collected since the last call, in order, moved into the
  // owning session's own effect list.
  template <class Effect>
  void move_effects_to(std::vector<Effect>& out) {
    for (auto& e : effects_) std::visit([&out](auto& x) { out.push_back(std::move(x)); }, e);
    effects_.clear();
  }

 private:
  ApplicationState& app_;
  std::string& notice_;
  domain::Channel channel_;
  std::string clerk_id_;
  std::vector<FlowEffect> effects_;
};

}  // namespace bianmin::session
