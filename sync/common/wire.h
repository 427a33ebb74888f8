// The central interface's bodies and headers (spec/central-api.md) as
// values, with strict parsers for what the terminal receives. Every parser
// takes outside bytes and returns a value or Error{"response_invalid"};
// none throws or crashes (fuzz target: tests/fuzz/sync_central_response.cpp).
//
// Unknown fields are ignored everywhere, as the spec asks for forward
// compatibility.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bianmin::sync::wire {

// {"error": {"code", "message", "missing"?, "expected_seq"?}}
struct ApiError {
  std::string code, message;
  std::vector<std::string> missing;  // 412 blobs_missing
  std::optional<int64_t> expected_seq;  // 409 chain_broken
};
Result<ApiError> parse_error(std::string_view body);
std::string error_body(const std::string& code, const std::string& message);

struct Health {
  std::string server_time;
  int64_t api = 0;
  // Not in the spec (the reference central's choice): the seconds over
  // which its fleet should spread a return after an outage; 0 when absent.
  int64_t return_window_s = 0;
};
Result<Health> parse_health(std::string_view body);

// 201/200 of POST /applications.
struct Acceptance {
  std::string client_id, case_no, status, received_at, deadline;
};
Result<Acceptance> parse_acceptance(std::string_view body);

struct HistoryEntry {
  std::string status, at, note;
};
struct Status {
  std::string client_id, case_no, receipt_no, item_code, status, updated_at, deadline;
  bool overdue = false;
  std::vector<HistoryEntry> history;
};
Result<Status> parse_status(std::string_view body);
Result<std::vector<Status>> parse_status_list(std::string_view body);  // {"statuses": [...]}
bool is_known_status(std::string_view status);

struct EnrolReply {
  std::string terminal_id, certificate_pem, ca_chain_pem, region_code, hall_name;
  std::string config_json;  // the "config" object, re-serialized (may be "{}")
  std::string receipt_query_url;  // config.receipt_query_url, when present
};
Result<EnrolReply> parse_enrol_reply(std::string_view body);

// {"type":"update","url","sha256","version"}: the central offers a system
// update (README, "Central interface extensions"). `url` is an https URL or
// a path on the central ("/api/v1/updates/<sha256>").
struct UpdateOffer {
  std::string url, sha256, version;
  bool operator==(const UpdateOffer& o) const { return url == o.url && sha256 == o.sha256 && version == o.version; }
};

struct HeartbeatReply {
  std::string server_time, catalog_version;
  std::vector<std::string> commands;  // types, unknown ones included (callers ignore them)
  // The first well-formed update command; one that is not (no https URL, a
  // hash that is not 64 hex digits, a version that is no short printable
  // word) is kept out and named in `ignored`.
  std::optional<UpdateOffer> update;
  std::vector<std::string> ignored;
};
Result<HeartbeatReply> parse_heartbeat_reply(std::string_view body);

// {"accepted_through": n}
Result<int64_t> parse_audit_reply(std::string_view body);

// Generic 201/200 of ratings and complaints: any JSON object.
bool is_json_object(std::string_view body);

// --- headers ---------------------------------------------------------------

// Upload-Offset / Upload-Length: decimal digits only, no sign, ≤ 2^53.
std::optional<int64_t> parse_length_header(std::string_view value);
// Retry-After: delta-seconds (the spec's form) or an IMF-fixdate; clamped
// to [0, 1 day]. nullopt when unusable.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                     std::chrono::system_clock::time_point now);
// ETag / If-None-Match entity tag: `"v"` or `W/"v"` → v. nullopt if malformed.
std::optional<std::string> parse_etag(std::string_view value);

}  // namespace bianmin::sync::wire
