// When the terminal speaks (issue 14): the `voice.*` settings and the
// resident's speaker button. Pure, so that it is tested with the session.
//
//   voice.mode         off | elder (on in elder mode, the default) | always
//   voice.quiet_hours  "22:00-07:00": no guidance by default then (a
//                      24-hour self-service room next to homes); empty: none
// The resident's button wins for their session, either way: a resident who
// asks to hear it hears it. The counter's ticket calls follow voice.mode
// alone (a hall display is not quiet at noon because nobody is elderly).
#pragma once

#include <optional>
#include <string>

#include "base/result.h"

namespace bianmin::session {

struct VoicePolicy {
  enum class Mode { off, elder, always } mode = Mode::elder;
  std::optional<std::pair<int, int>> quiet;  // minutes of the day [from, to), may wrap midnight

  // From the settings' values; "input_invalid" naming the setting.
  static Result<VoicePolicy> parse(const std::string& mode, const std::string& quiet_hours);

  // Guidance for a resident: `choice` is their button (none: not pressed).
  bool speaks(std::optional<bool> choice, bool elder, int minute_of_day) const;
  bool calls_tickets() const { return mode != Mode::off; }
};

}  // namespace bianmin::session
