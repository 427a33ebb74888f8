// Fuzz target: the reference central's parsers of what terminals send
// (enrolment, applications, status queries, ratings, complaints, audit
// uploads with chain verification, heartbeats).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/audit_log.h"
#include "central/requests.h"

// The first byte picks the parser (so each execution parses once); the
// rest is the body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace c = bianmin::sync::central;
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 7) {
    case 0: (void)c::parse_enrol_request(body); break;
    case 1: (void)c::parse_application(body); break;
    case 2: (void)c::parse_status_query(body); break;
    case 3: (void)c::parse_rating(body); break;
    case 4: (void)c::parse_complaint(body); break;
    case 5:
      if (auto entries = c::parse_audit_upload(body); entries.ok())
        (void)bianmin::audit::verify_chain(bianmin::crypto::Suite::standard, *entries);
      break;
    default: (void)c::parse_heartbeat(body); break;
  }
  return 0;
}
