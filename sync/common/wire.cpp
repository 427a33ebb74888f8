#include "common/wire.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstring>

#include "base/json_input.h"
#include "base/time.h"

namespace bianmin::sync::wire {

using json = nlohmann::json;

namespace {

Error invalid(const std::string& what) { return make_error("response_invalid", what); }

Result<json> parse_object(std::string_view body) {
  auto j = parse_json(body);
  if (!j) return invalid(j.error().message);
  if (!j->is_object()) return invalid("not a JSON object");
  return std::move(j).value();
}

// A required string member.
Result<std::string> str(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string()) return invalid(std::string("\"") + key + "\" missing or not a string");
  return it->get<std::string>();
}

std::string opt_str(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<int64_t> opt_int(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  if (it->is_number_unsigned()) {
    const auto v = it->get<uint64_t>();
    if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  if (it->is_number_integer()) return it->get<int64_t>();
  return std::nullopt;
}

Result<Status> status_from(const json& o) {
  if (!o.is_object()) return invalid("a status is not an object");
  Status s;
  BIANMIN_ASSIGN(s.client_id, str(o, "client_id"));
  BIANMIN_ASSIGN(s.status, str(o, "status"));
  s.case_no = opt_str(o, "case_no");
  s.receipt_no = opt_str(o, "receipt_no");
  s.item_code = opt_str(o, "item_code");
  s.updated_at = opt_str(o, "updated_at");
  s.deadline = opt_str(o, "deadline");
  if (auto it = o.find("overdue"); it != o.end() && it->is_boolean()) s.overdue = it->get<bool>();
  if (auto it = o.find("history"); it != o.end() && it->is_array()) {
    for (const auto& h : *it) {
      if (!h.is_object()) continue;
      s.history.push_back({opt_str(h, "status"), opt_str(h, "at"), opt_str(h, "note")});
    }
  }
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n'))
    v.remove_suffix(1);
  return v;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate, RFC 9110 §5.6.7).
std::optional<std::chrono::system_clock::time_point> parse_imf_date(std::string_view v) {
  if (v.size() != 29 || v.substr(3, 2) != ", " || v.substr(25) != " GMT") return std::nullopt;
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string_view day = v.substr(5, 2), mon = v.substr(8, 3), year = v.substr(12, 4);
  const std::string_view hh = v.substr(17, 2), mm = v.substr(20, 2), ss = v.substr(23, 2);
  if (!all_digits(day) || !all_digits(year) || !all_digits(hh) || !all_digits(mm) || !all_digits(ss) ||
      v[7] != ' ' || v[11] != ' ' || v[16] != ' ' || v[19] != ':' || v[22] != ':')
    return std::nullopt;
  unsigned m = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i)
    if (mon == kMonths[i]) m = i + 1;
  if (m == 0) return std::nullopt;
  auto num = [](std::string_view d) {
    int64_t n = 0;
    for (char c : d) n = n * 10 + (c - '0');
    return n;
  };
  const int64_t h = num(hh), mi = num(mm), s = num(ss), d = num(day), y = num(year);
  if (h > 23 || mi > 59 || s > 60 || d < 1 || d > 31) return std::nullopt;
  // system_clock counts nanoseconds: 1677–2262 only (fuzz_sync_headers found
  // "Sun, 06 Nov 1570 …" overflowing). No server means a date outside these.
  if (y < 1970 || y > 2200) return std::nullopt;
  const int64_t days = time::days_from_civil(y, m, static_cast<unsigned>(d));
  return std::chrono::system_clock::time_point(std::chrono::seconds(days * 86400 + h * 3600 + mi * 60 + s));
}

}  // namespace

Result<ApiError> parse_error(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  auto it = j.find("error");
  if (it == j.end() || !it->is_object()) return invalid("no \"error\" object");
  ApiError e;
  BIANMIN_ASSIGN(e.code, str(*it, "code"));
  e.message = opt_str(*it, "message");
  if (auto m = it->find("missing"); m != it->end() && m->is_array())
    for (const auto& s : *m)
      if (s.is_string()) e.missing.push_back(s.get<std::string>());
  e.expected_seq = opt_int(*it, "expected_seq");
  return e;
}

std::string error_body(const std::string& code, const std::string& message) {
  return json{{"error", {{"code", code}, {"message", message}}}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Health> parse_health(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  Health h;
  BIANMIN_ASSIGN(std::string status, str(j, "status"));
  if (status != "ok") return invalid("health status is \"" + status + "\"");
  BIANMIN_ASSIGN(h.server_time, str(j, "server_time"));
  h.api = opt_int(j, "api").value_or(0);
  h.return_window_s = std::clamp<int64_t>(opt_int(j, "return_window_s").value_or(0), 0, 3600);
  return h;
}

Result<Acceptance> parse_acceptance(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  Acceptance a;
  BIANMIN_ASSIGN(a.client_id, str(j, "client_id"));
  BIANMIN_ASSIGN(a.case_no, str(j, "case_no"));
  BIANMIN_ASSIGN(a.status, str(j, "status"));
  a.received_at = opt_str(j, "received_at");
  a.deadline = opt_str(j, "deadline");
  return a;
}

Result<Status> parse_status(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  return status_from(j);
}

Result<std::vector<Status>> parse_status_list(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  auto it = j.find("statuses");
  if (it == j.end() || !it->is_array()) return invalid("no \"statuses\" array");
  std::vector<Status> out;
  for (const auto& s : *it) {
    auto st = status_from(s);
    if (st) out.push_back(std::move(st).value());  // one bad entry does not hide the others
  }
  return out;
}

bool is_known_status(std::string_view s) {
  static constexpr const char* kStatuses[] = {"received", "accepted", "supplement_required", "rejected", "in_review",
                                              "approved", "denied", "delivered", "withdrawn"};
  for (const char* k : kStatuses)
    if (s == k) return true;
  return false;
}

Result<EnrolReply> parse_enrol_reply(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  EnrolReply r;
  BIANMIN_ASSIGN(r.terminal_id, str(j, "terminal_id"));
  BIANMIN_ASSIGN(r.certificate_pem, str(j, "certificate_pem"));
  BIANMIN_ASSIGN(r.ca_chain_pem, str(j, "ca_chain_pem"));
  r.region_code = opt_str(j, "region_code");
  r.hall_name = opt_str(j, "hall_name");
  if (r.terminal_id.empty()) return invalid("empty terminal_id");
  r.config_json = "{}";
  if (auto it = j.find("config"); it != j.end() && it->is_object()) {
    r.config_json = it->dump();
    r.receipt_query_url = opt_str(*it, "receipt_query_url");
  }
  return r;
}

namespace {

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// A version is shown to people and named in file names and logs: printable
// ASCII without spaces or slashes, at most 64 characters.
bool is_version_word(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (c <= ' ' || c > '~' || c == '/' || c == '\\') return false;
  return true;
}

bool is_download_url(std::string_view u) {
  if (u.empty() || u.size() > 2048) return false;
  for (char c : u)
    if (c <= ' ' || c > '~') return false;
  if (u.front() == '/') return u.size() > 1 && u[1] != '/';  // a path on the central, not "//host"
  return u.substr(0, 8) == "https://" && u.size() > 8;
}

std::optional<UpdateOffer> update_offer(const json& c, std::string& why) {
  UpdateOffer o{opt_str(c, "url"), opt_str(c, "sha256"), opt_str(c, "version")};
  if (!is_download_url(o.url)) why = "update: url is neither https nor a path on the central";
  else if (!is_sha256_hex(o.sha256)) why = "update: sha256 is not 64 lower-case hex digits";
  else if (!is_version_word(o.version)) why = "update: version is not a short printable word";
  else return o;
  return std::nullopt;
}

}  // namespace

Result<HeartbeatReply> parse_heartbeat_reply(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  HeartbeatReply r;
  r.server_time = opt_str(j, "server_time");
  r.catalog_version = opt_str(j, "catalog_version");
  if (auto it = j.find("commands"); it != j.end() && it->is_array())
    for (const auto& c : *it) {
      if (!c.is_object()) continue;
      r.commands.push_back(opt_str(c, "type"));
      if (r.commands.back() != "update" || r.update) continue;
      std::string why;
      r.update = update_offer(c, why);
      if (!why.empty()) r.ignored.push_back(why);
    }
  return r;
}

Result<int64_t> parse_audit_reply(std::string_view body) {
  BIANMIN_ASSIGN(json j, parse_object(body));
  auto n = opt_int(j, "accepted_through");
  if (!n || *n < 0) return invalid("no \"accepted_through\"");
  return *n;
}

bool is_json_object(std::string_view body) {
  auto j = parse_json(body);
  return j && j->is_object();
}

std::optional<int64_t> parse_length_header(std::string_view value) {
  value = trim(value);
  if (!all_digits(value) || value.size() > 16) return std::nullopt;
  int64_t n = 0;
  for (char c : value) n = n * 10 + (c - '0');
  if (n > (int64_t{1} << 53)) return std::nullopt;
  return n;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                     std::chrono::system_clock::time_point now) {
  value = trim(value);
  constexpr int64_t kMax = 86400;
  if (all_digits(value)) {
    if (value.size() > 9) return std::chrono::seconds(kMax);
    int64_t n = 0;
    for (char c : value) n = n * 10 + (c - '0');
    return std::chrono::seconds(std::min(n, kMax));
  }
  auto at = parse_imf_date(value);
  if (!at) return std::nullopt;
  const auto delta = std::chrono::duration_cast<std::chrono::seconds>(*at - now).count();
  return std::chrono::seconds(std::clamp<int64_t>(delta, 0, kMax));
}

std::optional<std::string> parse_etag(std::string_view value) {
  value = trim(value);
  if (value.substr(0, 2) == "W/") value.remove_prefix(2);
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::nullopt;
  value = value.substr(1, value.size() - 2);
  for (char c : value)
    if (c == '"' || static_cast<unsigned char>(c) < 0x21 || c == 0x7f) return std::nullopt;
  return std::string(value);
}

}  // namespace bianmin::sync::wire
