// Fuzz target: the TOML configuration (a technician edits it by hand), and
// the settings with a grammar of their own inside a string: the hall's
// queue lines ("A:综合受理;B:社保医保:行政给付").
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"
#include "domain/ticket.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  bianmin::config::Config c;
  std::vector<std::string> warnings;
  (void)c.merge_toml(text, "fuzz.toml", &warnings);
  (void)c.set_override(text);
  // What the file set, and the bytes themselves as the setting's value.
  for (std::string_view spec : {std::string_view(c.str("queue.lines")), text}) {
    auto lines = bianmin::domain::parse_queue_lines(spec);
    if (!lines) continue;
    for (const auto& l : *lines) {
      // The promises: one capital letter, a name, no letter twice.
      if (l.letter.size() != 1 || l.letter[0] < 'A' || l.letter[0] > 'Z' || l.name.empty()) __builtin_trap();
      for (const auto& other : *lines)
        if (&other != &l && other.letter == l.letter) __builtin_trap();
    }
  }
  return 0;
}
