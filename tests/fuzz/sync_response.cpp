// Fuzz target: every parser of a central's JSON answers on the terminal
// (errors, health, acceptance, statuses, enrolment, heartbeat, audit).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace wire = bianmin::sync::wire;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)wire::parse_error(body);
  (void)wire::parse_health(body);
  (void)wire::parse_acceptance(body);
  (void)wire::parse_status(body);
  if (auto list = wire::parse_status_list(body); list.ok())
    for (const auto& s : *list) (void)wire::is_known_status(s.status);
  (void)wire::parse_enrol_reply(body);
  (void)wire::parse_heartbeat_reply(body);
  (void)wire::parse_audit_reply(body);
  (void)wire::is_json_object(body);
  return 0;
}
