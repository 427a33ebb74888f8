// What the counter shows at this moment, read by the UI every frame. The
// application in progress is the shared ApplicationState; like the kiosk's
// View, texts are message keys, never words.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "session/application_state.h"
#include "session/clerk_inputs.h"

namespace bianmin::session {

struct ClerkView : ApplicationState {
  CounterScreen screen = CounterScreen::sign_in;
  std::string lang = "zh-CN";

  // Who is signed in; empty while the counter is locked.
  std::string clerk_id, clerk_name;
  std::string last_clerk_id;  // offered again on the sign-in screen (a number is not a secret)
  bool busy = false;          // a PIN being checked
  int attempts_left = -1;     // after a wrong PIN
  int64_t locked_for_s = 0;   // after too many

  std::vector<domain::Ticket> waiting;   // this window's line
  bool line_unknown = false;             // the hall's queue did not answer: `waiting` may be stale
  std::optional<domain::Ticket> ticket;  // the number being served

  std::string search_text;
  std::vector<const catalog::Item*> results;

  bool reader_present = true;
  std::string notice;  // message key; empty for none
  int countdown = -1;  // seconds before the counter locks itself

  bool signed_in() const { return !clerk_id.empty(); }
};

}  // namespace bianmin::session
