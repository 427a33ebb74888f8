#include "session/voice_policy.h"

namespace bianmin::session {
namespace {

// "07:30" → 450; nullopt unless HH:MM within a day.
std::optional<int> minutes(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

}  // namespace

Result<VoicePolicy> VoicePolicy::parse(const std::string& mode, const std::string& quiet_hours) {
  VoicePolicy p;
  if (mode == "off") p.mode = Mode::off;
  else if (mode == "elder") p.mode = Mode::elder;
  else if (mode == "always") p.mode = Mode::always;
  else return make_error("input_invalid", "voice.mode must be off, elder or always, not \"" + mode + "\"");
  if (!quiet_hours.empty()) {
    const auto dash = quiet_hours.find('-');
    const auto from = dash == std::string::npos ? std::nullopt : minutes(quiet_hours.substr(0, dash));
    const auto to = dash == std::string::npos ? std::nullopt : minutes(quiet_hours.substr(dash + 1));
    if (!from || !to || *from == *to)
      return make_error("input_invalid", "voice.quiet_hours must be HH:MM-HH:MM (e.g. 22:00-07:00), not \"" +
                                             quiet_hours + "\"");
    p.quiet = std::make_pair(*from, *to);
  }
  return p;
}

bool VoicePolicy::speaks(std::optional<bool> choice, bool elder, int minute_of_day) const {
  if (choice) return *choice;
  if (mode == Mode::off) return false;
  if (quiet) {
    const auto [from, to] = *quiet;
    const bool inside = from < to ? (minute_of_day >= from && minute_of_day < to)
                                  : (minute_of_day >= from || minute_of_day < to);
    if (inside) return false;
  }
  return mode == Mode::always || elder;
}

}  // namespace bianmin::session
