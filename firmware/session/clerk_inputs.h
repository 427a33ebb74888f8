// Everything that can happen at the counter, as plain values: the clerk's
// intents and the workers' answers. What the counter shares with the kiosk
// (the card reader, the form, the materials, submitting and printing, the
// clock) are the resident session's own types from inputs.h, so the shared
// application steps (application_flow.h) take the same events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/ticket.h"
#include "session/inputs.h"

namespace bianmin::session {

enum class CounterScreen {
  sign_in,          // clerk number and PIN; all a locked counter shows
  waiting_line,     // this window's line: call the next number, or serve someone without one
  choose_item,      // find the item applied for: name, code, pinyin initials
  identify,         // read the applicant's card, or type the identity in
  manual_identity,  // name, ID type and number, why there is no card
  form,
  materials,        // scanner or camera, with page thumbnails
  review,
  accepting,        // the durable commit in progress
  accepted,         // the acceptance slip (服务受理单) printing / printed
};
const char* counter_screen_key(CounterScreen s);

// ---- intents (the clerk's keys, clicks and touches) ----
struct ClerkSignIn { std::string clerk_id, pin; };
struct SignOut {};
struct CallNext {};
struct RecallTicket {};          // call the same number again (the resident did not hear)
struct TicketNoShow {};          // the number was called and nobody came
struct ServeWithoutTicket {};
struct TypeIdentity {};          // no card with them: go to the manual identity form
struct ManualIdentity {
  std::string name;
  std::string id_type = "resident";  // resident | foreign_permanent | gat_residence
  std::string id_number;
  std::string reason;  // why no card was read: a reason key (card_forgotten, …) or the clerk's words
};
struct CancelApplication {};     // drop what was entered; the ticket stays with this window
struct NextApplicant {};         // the slip is out: close the ticket, back to the line

// ---- events (from the workers) ----
struct ClerkChecked {
  bool ok = false;
  std::string clerk_id, name;
  int attempts_left = 0;
  int64_t locked_for_s = 0;  // > 0: too many wrong PINs
  bool disabled = false;     // the account was disabled (or does not exist)
};
// none: nobody waiting, or the hall's queue (kept by another terminal) did
// not answer.
struct TicketCalled {
  std::optional<domain::Ticket> ticket;
  bool queue_unreachable = false;
};
// This window's lines, in order; or unknown, when the hall's queue (kept by
// another terminal) did not answer: the last line known stays, marked so.
struct WaitingLine {
  std::vector<domain::Ticket> tickets;
  bool queue_unreachable = false;
};

using ClerkInput =
    std::variant<Touch, Tick, SetLanguage, GoBack, ClerkSignIn, ClerkChecked, SignOut, CallNext, TicketCalled,
                 RecallTicket, TicketNoShow, WaitingLine, ServeWithoutTicket, SearchText, OpenItem, IdCard,
                 TypeIdentity, ManualIdentity, EditField, FormNext, CapturePage, PageCaptured, CaptureFailed,
                 RemoveLastPage, MaterialsNext, SubmitNow, Submitted, SubmitFailed, Printed, PrintFailed,
                 ReprintReceipt, CancelApplication, NextApplicant>;

}  // namespace bianmin::session
