// Fuzz target: the reference central's parsers of what terminals send
// (enrolment, applications, status queries, ratings, complaints, audit
// uploads with chain verification, heartbeats).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/audit_log.h"
#include "central/requests.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace c = bianmin::sync::central;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)c::parse_enrol_request(body);
  (void)c::parse_application(body);
  (void)c::parse_status_query(body);
  (void)c::parse_rating(body);
  (void)c::parse_complaint(body);
  if (auto entries = c::parse_audit_upload(body); entries.ok())
    (void)bianmin::audit::verify_chain(bianmin::crypto::Suite::standard, *entries);
  (void)c::parse_heartbeat(body);
  return 0;
}
