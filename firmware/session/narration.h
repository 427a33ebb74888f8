// What the terminal says aloud (voice guidance, issue 14): the prompt for
// each step of a resident's session, and the counter's ticket call. Pure:
// a prompt is chosen from what the session showed before and after an
// input, so the same session tests that drive the screens check what is
// said.
//
// A prompt is a message key (assets/i18n: "voice.<id>") with placeholders;
// the kiosk turns it into words in the session's language and speech. Its
// values are never the applicant's: no name, no identity number, no phone
// (privacy: whoever stands nearby hears it). Catalogue text (a field's
// label, a material's name) is public and may be spoken.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/ticket.h"
#include "session/view.h"

namespace bianmin::session {

struct Prompt {
  std::string id;  // "place_card"
  std::vector<std::pair<std::string, std::string>> args;  // {"material", "户口簿"}
  bool operator==(const Prompt&) const = default;
};

// Every fixed prompt, in the order of a session, with its placeholders.
struct PromptInfo {
  const char* id;
  std::vector<const char*> placeholders;
};
const std::vector<PromptInfo>& prompt_catalogue();

// The little of a view that narration looks at (copying a whole view per
// input would copy the captured pages).
struct Moment {
  Screen screen = Screen::attract;
  std::string notice;
  size_t issues = 0;
  std::string first_issue_label;  // the catalogue's label of the first field to fix, or ""
  size_t pages = 0;
  std::string next_material;      // name of the first required material without a page, or ""
  PrintState print = PrintState::none;
  std::string ticket;             // number of the ticket just issued, or ""
  int ticket_ahead = 0;
  int countdown = -1;
};
Moment moment_of(const View& v);

// What to say now that the resident's session went from `before` to
// `after`; nullopt when nothing new happened that is worth a word.
std::optional<Prompt> narrate(const Moment& before, const Moment& after);

// The counter's call: "请 A023 号到 3 号窗口办理".
Prompt call_ticket(const domain::Ticket& t);

}  // namespace bianmin::session
