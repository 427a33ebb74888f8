#include "access/technician_access.h"

#include <nlohmann/json.hpp>

#include "access/pin_hash.h"
#include "audit/audit_log.h"
#include "base/bytes.h"
#include "domain/id_number.h"
#include "domain/masking.h"
#include "store/store.h"

namespace bianmin::access {
namespace {

constexpr const char* kPinHash = "service.pin_hash";
constexpr const char* kFailures = "service.pin_failures";
constexpr const char* kLockedUntil = "service.locked_until";
constexpr const char* kCardPrefix = "service.card.";

int64_t unix_s(time::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

int64_t to_int(const std::optional<std::string>& s) {
  if (!s || s->empty()) return 0;
  try {
    return std::stoll(*s);
  } catch (...) {
    return 0;
  }
}

}  // namespace

Status TechnicianAccess::audit(const char* type, const std::string& detail) {
  audit::AuditLog log(store_.db(), store_.sealer());
  BIANMIN_TRY(log.append(type, {{"detail", detail}}));
  return {};
}

Result<bool> TechnicianAccess::pin_set() {
  BIANMIN_ASSIGN(auto h, store_.setting(kPinHash));
  return h && !h->empty();
}

Status TechnicianAccess::set_pin(std::string_view pin) {
  BIANMIN_ASSIGN(std::string h, hash_pin(pin));
  BIANMIN_TRY(store_.set_setting(kPinHash, h));
  BIANMIN_TRY(store_.set_setting(kFailures, "0"));
  BIANMIN_TRY(store_.set_setting(kLockedUntil, "0"));
  return audit(audit::kConfigChange, "service PIN set");
}

Status TechnicianAccess::clear_pin() {
  BIANMIN_TRY(store_.set_setting(kPinHash, ""));
  return audit(audit::kConfigChange, "service PIN cleared");
}

Result<CredentialCheck> TechnicianAccess::check_pin(std::string_view pin, time::TimePoint now) {
  CredentialCheck c;
  BIANMIN_ASSIGN(auto stored, store_.setting(kPinHash));
  if (!stored || stored->empty()) return c;
  BIANMIN_ASSIGN(auto locked_until, store_.setting(kLockedUntil));
  BIANMIN_ASSIGN(auto fails_text, store_.setting(kFailures));
  LockoutState lockout{to_int(fails_text), to_int(locked_until)};
  const int64_t t = unix_s(now);
  if ((c.locked_for_s = locked_for(lockout, t)) > 0) {
    // Not even checked: the lockout is what makes six digits enough.
    BIANMIN_TRY(audit(audit::kTechnicianLogin, "pin refused; locked"));
    return c;
  }
  const bool ok = verify_pin(pin, *stored);
  const AttemptOutcome outcome = record_attempt(lockout, ok, t);
  BIANMIN_TRY(store_.set_setting(kFailures, std::to_string(lockout.failures)));
  if (outcome.locked_for_s > 0) BIANMIN_TRY(store_.set_setting(kLockedUntil, std::to_string(lockout.locked_until)));
  if (ok) {
    BIANMIN_TRY(audit(audit::kTechnicianLogin, "pin"));
    return CredentialCheck{true, "pin", outcome.attempts_left, 0};
  }
  c.attempts_left = outcome.attempts_left;
  c.locked_for_s = outcome.locked_for_s;
  BIANMIN_TRY(audit(audit::kTechnicianLogin, c.locked_for_s > 0 ? "pin refused; locked" : "pin refused"));
  return c;
}

std::string TechnicianAccess::card_key(std::string_view id_number) const {
  const auto d = store_.sealer().credential_mac(domain::normalize_id_number(id_number));
  return std::string(kCardPrefix) + to_hex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

Status TechnicianAccess::add_card(std::string_view id_number, const std::string& name) {
  if (domain::check_id_number(id_number) != domain::IdNumberProblem::none)
    return make_error("input_invalid", "not a valid 18-character ID number (MOD 11-2)");
  if (name.empty()) return make_error("input_invalid", "a technician card needs the technician's name");
  const std::string masked = domain::mask_id_number(domain::normalize_id_number(id_number));
  BIANMIN_TRY(store_.set_setting(card_key(id_number), nlohmann::json{{"name", name}, {"id_masked", masked}}.dump()));
  return audit(audit::kConfigChange, "technician card added: " + masked);
}

Result<std::vector<TechnicianCard>> TechnicianAccess::cards() {
  std::vector<TechnicianCard> out;
  BIANMIN_ASSIGN(store::Statement st,
                 store_.db().prepare("SELECT value FROM settings WHERE key LIKE 'service.card.%' AND value != '' "
                                     "ORDER BY key"));
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    const auto j = nlohmann::json::parse(st.text(0), nullptr, false);
    if (!j.is_object()) continue;
    out.push_back({j.value("name", ""), j.value("id_masked", "")});
  }
  return out;
}

Status TechnicianAccess::remove_card(std::string_view id_number_or_masked) {
  std::string key;
  if (domain::check_id_number(id_number_or_masked) == domain::IdNumberProblem::none) {
    key = card_key(id_number_or_masked);
  } else {
    BIANMIN_ASSIGN(store::Statement st,
                   store_.db().prepare("SELECT key, value FROM settings WHERE key LIKE 'service.card.%'"));
    for (;;) {
      BIANMIN_ASSIGN(bool row, st.step());
      if (!row) break;
      const auto j = nlohmann::json::parse(st.text(1), nullptr, false);
      if (j.is_object() && j.value("id_masked", "") == id_number_or_masked) key = st.text(0);
    }
  }
  if (key.empty()) return make_error("not_found", "no such technician card");
  BIANMIN_ASSIGN(auto existing, store_.setting(key));
  if (!existing || existing->empty()) return make_error("not_found", "no such technician card");
  BIANMIN_TRY(store_.set_setting(key, ""));
  return audit(audit::kConfigChange, "technician card removed");
}

Result<CredentialCheck> TechnicianAccess::check_card(std::string_view id_number) {
  CredentialCheck c;
  BIANMIN_ASSIGN(auto v, store_.setting(card_key(id_number)));
  const std::string masked = domain::mask_id_number(domain::normalize_id_number(id_number));
  if (!v || v->empty()) {
    BIANMIN_TRY(audit(audit::kTechnicianLogin, "card refused: " + masked));
    return c;
  }
  c.ok = true;
  c.technician = "card:" + masked;
  BIANMIN_TRY(audit(audit::kTechnicianLogin, c.technician));
  return c;
}

}  // namespace bianmin::access
