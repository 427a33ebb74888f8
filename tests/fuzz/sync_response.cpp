// Fuzz target: every parser of a central's JSON answers on the terminal
// (errors, health, acceptance, statuses, enrolment, heartbeat, audit).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/wire.h"

// The first byte picks the parser (so each execution parses once); the
// rest is the body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace wire = bianmin::sync::wire;
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 9) {
    case 0: (void)wire::parse_error(body); break;
    case 1: (void)wire::parse_health(body); break;
    case 2: (void)wire::parse_acceptance(body); break;
    case 3: (void)wire::parse_status(body); break;
    case 4:
      if (auto list = wire::parse_status_list(body); list.ok())
        for (const auto& s : *list) (void)wire::is_known_status(s.status);
      break;
    case 5: (void)wire::parse_enrol_reply(body); break;
    case 6: (void)wire::parse_heartbeat_reply(body); break;
    case 7: (void)wire::parse_audit_reply(body); break;
    default: (void)wire::is_json_object(body); break;
  }
  return 0;
}
