// What the counter asks the outside world to do; each answer comes back as
// an event of clerk_inputs.h. The application's effects (capture, submit,
// print, wake the sync daemon) and the audit are the kiosk's own types: one
// worker carries them out for both roles.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "domain/ticket.h"
#include "session/effects.h"

namespace bianmin::session {

struct DoCheckClerkPin { std::string clerk_id, pin; };  // → ClerkChecked
// Takes the oldest waiting ticket of these lines for this window.
struct DoCallNextTicket {                                // → TicketCalled
  std::vector<std::string> lines;
  std::string window_no, clerk_id;
};
struct DoAnnounceTicket { domain::Ticket ticket; };      // shown on the hall display, spoken
// Served, no-show, or back to waiting (the counter locked mid-service).
struct DoSetTicketState {                                // → WaitingLine (refreshed)
  std::string number, day;
  domain::TicketState state = domain::TicketState::served;
  std::string clerk_id;
};

using ClerkEffect = std::variant<DoAudit, DoCheckClerkPin, DoCallNextTicket, DoAnnounceTicket, DoSetTicketState,
                                 DoCapture, DoSubmit, DoPrintReceipt, DoWakeSync, DoWipe>;

}  // namespace bianmin::session
