#include "client/enrolment.h"

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "base/json_input.h"
#include "base/log.h"
#include "base/time.h"
#include "common/pki.h"
#include "common/wire.h"
#include "crypto/suite.h"
#include "store/store.h"

namespace bianmin::sync {

using json = nlohmann::json;

namespace {

constexpr const char* kSettingKey = "sync.enrolment";
constexpr const char* kAad = "enrolment";

Error refused(const HttpResponse& r) {
  auto e = wire::parse_error(r.body);
  const std::string code = e ? e->code : "";
  const std::string msg = e && !e->message.empty() ? e->message : code;
  if (r.status == 403 && (code == "enrollment_code_invalid" || code.empty()))
    return make_error("enrollment_code_invalid",
                      "the central refused the enrolment code (used, expired or unknown); ask for a new one");
  return make_error("enrol_refused", "the central refused the enrolment: HTTP " + std::to_string(r.status) +
                                         (msg.empty() ? "" : " " + msg));
}

}  // namespace

std::string terminal_code_of(const std::string& terminal_id) {
  const auto dash = terminal_id.rfind('-');
  std::string tail = dash == std::string::npos ? terminal_id : terminal_id.substr(dash + 1);
  bool ok = !tail.empty() && tail.size() <= 12;
  for (char c : tail)
    if (!std::isalnum(static_cast<unsigned char>(c))) ok = false;
  return ok ? tail : terminal_id;
}

TlsTrust trust_of(const Enrolment& e) { return TlsTrust{e.ca_pem, "", e.cert_pem, e.key_pem}; }

Result<std::optional<Enrolment>> load_enrolment(store::Store& s) {
  BIANMIN_ASSIGN(auto stored, s.setting(kSettingKey));
  if (!stored || stored->empty()) return std::optional<Enrolment>();
  auto sealed = from_hex(*stored);
  if (!sealed) return make_error("enrolment_invalid", "the stored enrolment is damaged; enrol again");
  BIANMIN_ASSIGN(std::string plain, s.sealer().open(*sealed, kAad));
  auto parsed = parse_json(plain);
  secure_wipe(plain);
  if (!parsed || !parsed->is_object()) return make_error("enrolment_invalid", "the stored enrolment is damaged");
  json& j = *parsed;
  Enrolment e;
  auto get = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
  e.central_url = get("central_url");
  e.terminal_id = get("terminal_id");
  e.region_code = get("region_code");
  e.hall_name = get("hall_name");
  e.receipt_query_url = get("receipt_query_url");
  e.ca_pem = get("ca_pem");
  e.cert_pem = get("cert_pem");
  e.key_pem = get("key_pem");
  e.ca_fingerprint = get("ca_fingerprint");
  e.enrolled_at = get("enrolled_at");
  e.config_json = get("config_json");
  if (auto& k = j["key_pem"]; k.is_string()) secure_wipe(k.get_ref<std::string&>());
  return std::optional<Enrolment>(std::move(e));
}

Status save_enrolment(store::Store& s, const Enrolment& e) {
  json j = {{"central_url", e.central_url}, {"terminal_id", e.terminal_id}, {"region_code", e.region_code},
            {"hall_name", e.hall_name}, {"receipt_query_url", e.receipt_query_url}, {"ca_pem", e.ca_pem},
            {"cert_pem", e.cert_pem}, {"key_pem", e.key_pem}, {"ca_fingerprint", e.ca_fingerprint},
            {"enrolled_at", e.enrolled_at}, {"config_json", e.config_json}};
  std::string plain = j.dump();
  const std::string sealed = to_hex(s.sealer().seal(plain, kAad));
  secure_wipe(plain);
  secure_wipe(j["key_pem"].get_ref<std::string&>());
  return s.db().transaction([&]() -> Status {
    BIANMIN_TRY(s.set_setting(kSettingKey, sealed));
    BIANMIN_TRY(s.set_setting("terminal.id", e.terminal_id));
    BIANMIN_TRY(s.set_setting("terminal.code", terminal_code_of(e.terminal_id)));
    BIANMIN_TRY(s.set_setting("terminal.hall_name", e.hall_name));
    BIANMIN_TRY(s.set_setting("terminal.region_code", e.region_code));
    if (!e.receipt_query_url.empty()) BIANMIN_TRY(s.set_setting("receipt.query_url", e.receipt_query_url));
    return {};
  });
}

Result<Enrolment> enrol(store::Store& s, const EnrolRequest& req) {
  if (req.central_url.rfind("https://", 0) != 0)
    return make_error("input_invalid", "--central must be an https:// URL");
  if (req.code.empty()) return make_error("input_invalid", "--code is required");
  const std::string fp = pki::normalize_fingerprint(req.ca_fingerprint);
  if (req.ca_bundle_pem.empty() && fp.empty())
    return make_error("input_invalid", "--ca-fingerprint must be the SHA-256 of the central's CA certificate "
                                       "(64 hex characters), or give --ca-file");
  if (!req.ca_bundle_pem.empty()) BIANMIN_TRY(pki::split_certificates(req.ca_bundle_pem));

  BIANMIN_ASSIGN(std::string key, pki::generate_key());
  BIANMIN_ASSIGN(std::string csr, pki::make_csr(key, req.serial.empty() ? "bianmin-terminal" : req.serial));
  const json body = {{"enrollment_code", req.code},
                     {"csr_pem", csr},
                     {"hardware", {{"serial", req.serial}, {"model", req.model},
                                   {"firmware_version", req.firmware_version},
                                   {"hash", crypto::hash_name(s.sealer().suite())}}}};
  const std::string body_text = body.dump();
  HttpClient client(req.central_url, TlsTrust{req.ca_bundle_pem, req.ca_bundle_pem.empty() ? fp : "", "", ""},
                    req.timeouts);
  auto resp = client.send({"POST", "/api/v1/enroll", {{"Content-Type", "application/json"}}, body_text});
  if (!resp) {
    Error e = resp.take_error();
    if (e.code == "tls_untrusted")
      e.message = "the server at " + req.central_url + " is not the central you named: " +
                  (client.last_tls_detail().empty() ? e.message : client.last_tls_detail()) +
                  "; nothing was sent to it";
    else if (e.code == "unreachable" || e.code == "interrupted" || e.code == "tls_failed")
      e = make_error("unreachable", "cannot reach the central at " + req.central_url + ": " + e.message);
    return e;
  }
  if (resp->status != 201 && resp->status != 200) return refused(*resp);
  auto reply = wire::parse_enrol_reply(resp->body);
  if (!reply) return make_error("response_invalid", "the central's enrolment answer is malformed: " + reply.error().message);

  const std::string vouched = req.ca_bundle_pem.empty() ? client.matched_ca_pem() : req.ca_bundle_pem;
  if (vouched.empty()) return make_error("tls_untrusted", "the central's CA could not be pinned");
  BIANMIN_ASSIGN(bool matches, pki::certificate_matches_key(reply->certificate_pem, key));
  if (!matches) return make_error("response_invalid", "the certificate the central issued is not for this terminal's key");
  BIANMIN_ASSIGN(auto pins, pki::pinned_bundle(vouched, reply->ca_chain_pem));
  for (const auto& refused_fp : pins.refused)
    log::warn("enrol", "the central's CA chain holds a certificate not issued by the pinned CA; not trusted",
              {{"fingerprint", refused_fp}});
  const std::string pinned = pins.pem;
  BIANMIN_ASSIGN(bool issued, pki::verify_issued_by(reply->certificate_pem, pinned));
  if (!issued) return make_error("response_invalid", "the issued certificate does not chain to the central's CA");

  Enrolment e;
  e.central_url = client.base_url();
  e.terminal_id = reply->terminal_id;
  e.region_code = reply->region_code;
  e.hall_name = reply->hall_name;
  e.receipt_query_url = reply->receipt_query_url;
  e.ca_pem = pinned;
  e.cert_pem = reply->certificate_pem;
  e.key_pem = key;
  BIANMIN_ASSIGN(e.ca_fingerprint, pki::fingerprint(vouched));
  e.enrolled_at = time::now_rfc3339();
  e.config_json = reply->config_json;
  secure_wipe(key);
  BIANMIN_TRY(save_enrolment(s, e));
  log::info("enrol", "terminal enrolled", {{"terminal_id", e.terminal_id}, {"central", e.central_url},
                                           {"ca_fingerprint", e.ca_fingerprint}});
  return e;
}

}  // namespace bianmin::sync
