// What a resident session asks the outside world to do. The shell (the
// kiosk process) carries each effect out on a worker and feeds the outcome
// back as an event (inputs.h).
#pragma once

#include <string>
#include <variant>

#include <optional>
#include <vector>

#include "domain/ticket.h"
#include "outbox/submit.h"

namespace bianmin::session {

struct DoCapture { std::string material_id; };          // → PageCaptured | CaptureFailed
struct DoSubmit { outbox::SubmitRequest request; };      // → Submitted | SubmitFailed
struct DoPrintReceipt { std::string client_id; };        // → Printed | PrintFailed
struct DoQueryProgress { std::string receipt_no, token; };  // → ProgressAnswer
// 好差评: level 5 非常满意 … 1 非常不满意 (the two lowest carry reason tags).
struct DoStoreRating {                                   // → FeedbackStored
  std::optional<std::string> client_id, item_code;
  int level = 5;
  std::vector<std::string> tags;
};
struct DoStoreComplaint {                                // → FeedbackStored
  std::string about;  // service | staff | fee | other
  std::string text;
  std::optional<std::string> contact_phone;
};
struct DoWakeSync {};                                    // something was queued
struct DoIssueTicket { domain::QueueLine line; };        // store, then print → TicketIssued
// The session ended: the shell clears device queues, the input method's
// history and anything else it holds for this resident.
struct DoWipe {};
struct DoAudit { std::string type; std::string masked_detail; };

using Effect = std::variant<DoCapture, DoSubmit, DoPrintReceipt, DoQueryProgress, DoStoreRating, DoStoreComplaint,
                            DoWakeSync, DoWipe, DoAudit, DoIssueTicket>;

}  // namespace bianmin::session
