// Everything that can happen to a resident session, as plain values:
// intents from the screen (what the resident touched) and events from the
// workers (devices, the store, the printer, the network). The UI never calls
// a device; it turns touches into intents, and the session answers with
// effects (effects.h) for the shell to carry out on its workers.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "catalog/model.h"
#include "domain/identity_card.h"
#include "domain/ticket.h"

namespace bianmin::session {

using Clock = std::chrono::steady_clock;

// ---- intents (touches) ----
struct Touch {};                         // any touch: resets the idle timer, leaves attract
struct GoHome {};
struct GoBack {};
enum class ListKind { power, duty, funds };
struct OpenLists { ListKind kind = ListKind::power; };
struct Browse { std::optional<catalog::Category> category; std::string department; };
struct SearchText { std::string text; };
struct OpenItem { std::string code; };
struct StartApply {};                    // from an item guide
struct ConfirmIdentity {};
struct EditField { std::string key; std::string value; };
struct FormNext {};
struct CapturePage { std::string material_id; };
struct RemoveLastPage { std::string material_id; };
struct MaterialsNext {};
struct SubmitNow {};
struct Rate { int level = 5; std::vector<std::string> tags; };
struct SkipRating {};
struct Finish {};                        // "done" on the last screen
struct StartProgressQuery {};
struct QueryReceipt { std::string receipt_no; };  // typed on the keypad
struct StartComplaint {};
struct SubmitComplaint { std::string about; std::string text; std::string phone; };
struct SetLanguage { std::string lang; };  // "zh-CN" | "en"
struct SetElderMode { bool on = false; };
// The speaker button: voice guidance on or off for this session.
struct SetVoice { bool on = false; };
// 朗读: a section of the item guide read aloud (the catalogue's words, never
// the resident's); the kiosk speaks it, the session only counts it as use.
struct ReadAloud { std::string text; };
struct ReprintReceipt {};
struct TakeTicket {};                    // 取号 on home
struct ChooseLine { std::string letter; };  // which service line the ticket is for

// ---- events (from workers) ----
struct IdCard { domain::IdCardEvent event; };
struct PageCaptured {
  std::string material_id;
  std::string bytes;
  std::string mime = "image/jpeg";
  int pages = 1;
  bool more = false;  // a document feeder has more pages of this capture coming
};
struct CaptureFailed { std::string message; };  // the error code: camera_*, scanner_no_docs, scanner_jammed …
// A code from the camera or the scanner, already parsed by the shell
// (domain code-payload parser): a receipt of this system, or other text.
struct CodeScanned {
  bool is_receipt = false;
  std::string receipt_no, token;
};
struct Submitted { std::string client_id, receipt_no, submitted_at; };
struct SubmitFailed { std::string code, message; };
struct Printed {};
struct PrintFailed { std::string printer_state; std::string message; };  // paper_out, absent, …
struct ProgressAnswer {
  bool online = true;
  bool found = false;
  std::string status, updated_at, deadline, item_name;
  bool overdue = false;
  std::vector<std::pair<std::string, std::string>> history;  // status, at
};
struct FeedbackStored {};
// A queue ticket was issued (stored durably) and printed, or not.
struct TicketIssued {
  std::optional<domain::Ticket> ticket;  // none: the store refused (the number was not given)
  bool printed = false;
  std::string printer_state;             // when not printed: paper_out, absent, …
};
struct Tick { Clock::time_point now; };

using Input = std::variant<Touch, GoHome, GoBack, OpenLists, Browse, SearchText, OpenItem, StartApply,
                           ConfirmIdentity, EditField, FormNext, CapturePage, RemoveLastPage,
                           MaterialsNext, SubmitNow, Rate, SkipRating, Finish, StartProgressQuery, QueryReceipt,
                           StartComplaint, SubmitComplaint, SetLanguage, SetElderMode, SetVoice, ReadAloud, ReprintReceipt, IdCard,
                           PageCaptured, CaptureFailed, CodeScanned, Submitted, SubmitFailed, Printed, PrintFailed,
                           ProgressAnswer, FeedbackStored, Tick, TakeTicket, ChooseLine, TicketIssued>;

}  // namespace bianmin::session
