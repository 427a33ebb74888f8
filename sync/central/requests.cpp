#include "central/requests.h"

#include <nlohmann/json.hpp>

#include "audit/jcs.h"
#include "base/bytes.h"
#include "base/json_input.h"
#include "base/time.h"
#include "client/update_offer.h"

namespace bianmin::sync::central {

using json = nlohmann::json;

namespace {

Error bad(const std::string& what) { return make_error("bad_request", what); }

Result<json> parse_object(std::string_view body) {
  auto j = parse_json(body);
  if (!j) return bad("the body is " + std::string(j.error().code == "json_too_deep" ? "" : "not JSON: ") + j.error().message);
  if (!j->is_object()) return bad("the body is not a JSON object");
  return std::move(j).value();
}

Result<std::string> str(const json& o, const char* key, std::size_t max_len, bool required = true) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) {
    if (required) return bad(std::string(key) + " is required");
    return std::string();
  }
  if (!it->is_string()) return bad(std::string(key) + " must be a string");
  std::string v = it->get<std::string>();
  if (required && v.empty()) return bad(std::string(key) + " must not be empty");
  if (v.size() > max_len) return bad(std::string(key) + " is too long");
  return v;
}

std::optional<int64_t> integer(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  if (it->is_number_unsigned()) {
    const auto v = it->get<uint64_t>();
    return v > static_cast<uint64_t>(INT64_MAX) ? std::nullopt : std::optional<int64_t>(static_cast<int64_t>(v));
  }
  if (it->is_number_integer()) return it->get<int64_t>();
  return std::nullopt;
}

Result<std::string> canonical(const json& j) {
  try {
    return audit::canonical_json(j);
  } catch (const std::exception& e) {
    return bad(std::string("the body cannot be canonicalized: ") + e.what());
  }
}

bool printable_ascii(std::string_view s) {
  for (char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

Status check_applicant(const json& j) {
  auto it = j.find("applicant");
  if (it == j.end() || !it->is_object()) return bad("applicant must be an object");
  BIANMIN_TRY(str(*it, "name", 200));
  BIANMIN_ASSIGN(std::string id_type, str(*it, "id_type", 32));
  if (id_type != "resident" && id_type != "foreign_permanent" && id_type != "gat_residence")
    return bad("applicant.id_type must be resident, foreign_permanent or gat_residence");
  BIANMIN_TRY(str(*it, "id_number", 64));
  return {};
}

Status check_materials(const json& j, std::vector<BlobRef>* out) {
  auto it = j.find("materials");
  if (it == j.end()) return {};
  if (!it->is_array()) return bad("materials must be an array");
  for (const auto& m : *it) {
    if (!m.is_object()) return bad("a material must be an object");
    BIANMIN_TRY(str(m, "material_id", 64));
    auto blobs = m.find("blobs");
    if (blobs == m.end() || !blobs->is_array()) return bad("material.blobs must be an array");
    for (const auto& b : *blobs) {
      if (!b.is_object()) return bad("a blob must be an object");
      BIANMIN_ASSIGN(std::string sha, str(b, "sha256", 64));
      if (!is_blob_address(sha)) return bad("blob sha256 must be 64 lowercase hex characters");
      // "bytes" lets the central check the length too; a blob without it is
      // checked by its hash alone.
      const auto bytes = integer(b, "bytes");
      if (b.contains("bytes") && (!bytes || *bytes < 0)) return bad("blob bytes must be a non-negative integer");
      out->push_back({sha, bytes.value_or(-1)});
    }
  }
  return {};
}

Result<FeedbackRequest> feedback(std::string_view body, const char* kind) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  FeedbackRequest r;
  r.kind = kind;
  BIANMIN_ASSIGN(r.id, str(j, "id", 64));
  if (!printable_ascii(r.id)) return bad("id must be printable ASCII");
  BIANMIN_ASSIGN(std::string at, str(j, "at", 64));
  if (!time::parse_rfc3339(at)) return bad("at must be an RFC 3339 time");
  if (r.kind == "rating") {
    const auto level = integer(j, "level");
    if (!level || *level < 1 || *level > 5) return bad("level must be 1..5");
    if (auto t = j.find("tags"); t != j.end() && !t->is_array()) return bad("tags must be an array");
  } else {
    BIANMIN_ASSIGN(std::string about, str(j, "about", 16));
    if (about != "service" && about != "staff" && about != "fee" && about != "other")
      return bad("about must be service, staff, fee or other");
    BIANMIN_TRY(str(j, "text", 20000));
  }
  BIANMIN_ASSIGN(r.canonical, canonical(j));
  return r;
}

}  // namespace

bool is_blob_address(std::string_view s) { return is_lower_hex(s, 64); }

Result<EnrolRequest> parse_enrol_request(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  EnrolRequest r;
  BIANMIN_ASSIGN(r.code, str(j, "enrollment_code", 128));
  BIANMIN_ASSIGN(r.csr_pem, str(j, "csr_pem", 16384));
  if (auto hw = j.find("hardware"); hw != j.end()) {
    if (!hw->is_object()) return bad("hardware must be an object");
    BIANMIN_ASSIGN(r.serial, str(*hw, "serial", 128, false));
    BIANMIN_ASSIGN(r.model, str(*hw, "model", 128, false));
    BIANMIN_ASSIGN(r.firmware_version, str(*hw, "firmware_version", 64, false));
    BIANMIN_ASSIGN(std::string hash, str(*hw, "hash", 16, false));
    if (!hash.empty()) r.hash = hash;
  }
  if (r.hash != "sha256" && r.hash != "sm3") return bad("hardware.hash must be sha256 or sm3");
  return r;
}

Result<ApplicationRequest> parse_application(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  ApplicationRequest r;
  BIANMIN_ASSIGN(r.client_id, str(j, "client_id", 64));
  if (!printable_ascii(r.client_id)) return bad("client_id must be printable ASCII");
  BIANMIN_ASSIGN(r.receipt_no, str(j, "receipt_no", 64));
  BIANMIN_ASSIGN(r.item_code, str(j, "item_code", 128));
  BIANMIN_ASSIGN(r.channel, str(j, "channel", 16));
  if (r.channel != "kiosk" && r.channel != "window") return bad("channel must be kiosk or window");
  BIANMIN_ASSIGN(r.submitted_at, str(j, "submitted_at", 64));
  if (!time::parse_rfc3339(r.submitted_at)) return bad("submitted_at must be an RFC 3339 time with offset");
  BIANMIN_TRY(check_applicant(j));
  if (auto f = j.find("form"); f != j.end() && !f->is_object()) return bad("form must be an object");
  BIANMIN_TRY(check_materials(j, &r.blobs));
  if (r.channel == "window") BIANMIN_TRY(str(j, "clerk_id", 64));
  // Extension (outbox/receipt_token.h): the receipt's token, when the
  // terminal's firmware sends it.
  BIANMIN_ASSIGN(r.receipt_token, str(j, "receipt_token", 64, false));
  if (!r.receipt_token.empty() && !printable_ascii(r.receipt_token)) return bad("receipt_token must be printable ASCII");
  BIANMIN_ASSIGN(r.canonical, canonical(j));
  return r;
}

Result<std::vector<std::string>> parse_status_query(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  auto it = j.find("client_ids");
  if (it == j.end() || !it->is_array()) return bad("client_ids must be an array");
  if (it->size() > 200) return bad("at most 200 client_ids per request");
  std::vector<std::string> out;
  for (const auto& id : *it) {
    if (!id.is_string()) return bad("client_ids must be strings");
    out.push_back(id.get<std::string>());
  }
  return out;
}

Result<FeedbackRequest> parse_rating(std::string_view body) { return feedback(body, "rating"); }
Result<FeedbackRequest> parse_complaint(std::string_view body) { return feedback(body, "complaint"); }

Result<std::vector<audit::Entry>> parse_audit_upload(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  auto it = j.find("entries");
  if (it == j.end() || !it->is_array()) return bad("entries must be an array");
  std::vector<audit::Entry> out;
  for (const auto& e : *it) {
    if (!e.is_object()) return bad("an audit entry must be an object");
    auto entry = audit::Entry::from_json(e);
    if (!entry) return bad(entry.error().message);
    if (entry->seq < 1) return bad("audit seq must be positive");
    out.push_back(std::move(entry).value());
  }
  return out;
}

Result<Heartbeat> parse_heartbeat(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  Heartbeat h;
  BIANMIN_ASSIGN(h.at, str(j, "at", 64));
  BIANMIN_ASSIGN(h.firmware_version, str(j, "firmware_version", 64, false));
  BIANMIN_ASSIGN(h.catalog_version, str(j, "catalog_version", 128, false));
  if (auto q = j.find("queue"); q != j.end()) {
    if (!q->is_object()) return bad("queue must be an object");
    h.pending = integer(*q, "pending").value_or(0);
  }
  if (auto sys = j.find("system"); sys != j.end()) h.running_version = running_version(*sys);
  if (h.running_version.empty()) h.running_version = h.firmware_version;
  BIANMIN_ASSIGN(h.canonical, canonical(j));
  return h;
}

bool if_none_match_matches(std::string_view header, std::string_view version) {
  std::size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',' || header[i] == '\t')) ++i;
    if (i >= header.size()) break;
    if (header[i] == '*') return true;
    if (header.substr(i, 2) == "W/") i += 2;
    if (i >= header.size() || header[i] != '"') return false;
    const auto end = header.find('"', i + 1);
    if (end == std::string_view::npos) return false;
    if (header.substr(i + 1, end - i - 1) == version) return true;
    i = end + 1;
  }
  return false;
}

}  // namespace bianmin::sync::central
