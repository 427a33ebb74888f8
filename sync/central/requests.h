// The central's parsers of what terminals send (spec/central-api.md): bytes
// in, a value or Error{code, message} out, never an exception or a crash
// (fuzz target: tests/fuzz/sync_central_request.cpp). Codes: "bad_request"
// (malformed; HTTP 400) and "unprocessable" (well-formed but refused; 422).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "base/result.h"

namespace bianmin::sync::central {

struct EnrolRequest {
  std::string code, csr_pem, serial, model, firmware_version;
  std::string hash = "sha256";  // sha256 | sm3
};
Result<EnrolRequest> parse_enrol_request(std::string_view body);

struct BlobRef {
  std::string sha256;
  int64_t bytes = -1;  // -1: not given
};

struct ApplicationRequest {
  std::string client_id, receipt_no, item_code, channel, submitted_at;
  std::string receipt_token;   // empty: sent by firmware before the extension
  std::vector<BlobRef> blobs;  // every referenced blob, in order
  std::string canonical;       // JCS of the whole body: same content ⇔ same text
};
Result<ApplicationRequest> parse_application(std::string_view body);

// POST /applications/status: at most 200 ids.
Result<std::vector<std::string>> parse_status_query(std::string_view body);

struct FeedbackRequest {
  std::string kind;  // rating | complaint
  std::string id, canonical;
};
Result<FeedbackRequest> parse_rating(std::string_view body);
Result<FeedbackRequest> parse_complaint(std::string_view body);

Result<std::vector<audit::Entry>> parse_audit_upload(std::string_view body);

struct Heartbeat {
  std::string at, firmware_version, catalog_version, canonical;
  // The booted slot's bundle version (the "system" extension), else firmware_version.
  std::string running_version;
  int64_t pending = 0;
};
Result<Heartbeat> parse_heartbeat(std::string_view body);

// If-None-Match: does it name `version` (or "*")? Handles lists and W/.
bool if_none_match_matches(std::string_view header, std::string_view version);

// A blob address: 64 lowercase hex.
bool is_blob_address(std::string_view s);

}  // namespace bianmin::sync::central
