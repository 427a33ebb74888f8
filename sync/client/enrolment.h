// Enrolment: the terminal makes its key pair (the private key never
// leaves it), sends a CSR with a one-time code, verifies the central by the
// CA fingerprint (or bundle) the technician typed, and stores the
// certificate, the pinned CA and what the central says about the terminal.
//
// Storage: one settings row "sync.enrolment" holding the whole record sealed
// with the device key (it contains the private key), plus plain rows the
// rest of the firmware reads (terminal.id, terminal.code, terminal.hall_name,
// terminal.region_code, receipt.query_url), all written in one transaction.
// Until that transaction commits nothing of a previous enrolment changes,
// so a failed enrolment (wrong fingerprint, refused code, unreachable
// central, bad answer) leaves the previous one exactly as it was.
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "client/http_client.h"

namespace bianmin::store { class Store; }

namespace bianmin::sync {

struct Enrolment {
  std::string central_url, terminal_id, region_code, hall_name, receipt_query_url;
  std::string ca_pem;    // pinned for every later call
  std::string cert_pem;  // this terminal's client certificate
  std::string key_pem;   // its private key
  std::string ca_fingerprint, enrolled_at, config_json;
};

Result<std::optional<Enrolment>> load_enrolment(store::Store& s);
Status save_enrolment(store::Store& s, const Enrolment& e);
TlsTrust trust_of(const Enrolment& e);

// "620702-001-K03" → "K03": the receipt prefix is the last part of the id.
std::string terminal_code_of(const std::string& terminal_id);

struct EnrolRequest {
  std::string central_url, code;
  std::string ca_fingerprint;  // 64 hex (colons allowed), or
  std::string ca_bundle_pem;   // the central's CA bundle
  std::string serial, model, firmware_version;
  HttpTimeouts timeouts;
};

// Errors: "input_invalid", "unreachable", "tls_untrusted",
// "enrollment_code_invalid", "enrol_refused", "response_invalid", store errors.
Result<Enrolment> enrol(store::Store& s, const EnrolRequest& req);

}  // namespace bianmin::sync
