// One application being prepared: by a resident at the kiosk, or by a
// clerk at the counter for the applicant in front of them. Both sessions'
// views embed it, and application_flow.h moves it forward the same way for
// both. Everything here is the applicant's data: wiped when the session
// ends, when the counter locks, or when the clerk moves to the next person.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "domain/application.h"
#include "domain/identity_card.h"
#include "outbox/submit.h"
#include "session/inputs.h"

namespace bianmin::session {

enum class PrintState { none, printing, printed, failed };

struct ApplicationState {
  const catalog::Item* item = nullptr;  // the item applied for (or, at the kiosk, the guide shown)

  std::optional<domain::IdentityCard> card;
  domain::Applicant applicant;
  domain::FormValues form;
  std::vector<outbox::MaterialFile> pages;  // in capture order
  std::vector<domain::ValidationIssue> issues;

  bool capturing = false;
  std::optional<Submitted> submitted;
  PrintState print = PrintState::none;
  std::string printer_state;  // "paper_out", … when printing failed

  int pages_of(const std::string& material_id) const;
  // Overwrites every buffer that held the applicant's data; keeps `item`
  // and what was submitted (the receipt number is the applicant's to keep
  // until the screen moves on).
  void wipe_applicant();
};

}  // namespace bianmin::session
