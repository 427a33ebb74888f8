#include "access/clerk_accounts.h"

#include "access/pin_hash.h"
#include "access/pin_lockout.h"
#include "audit/audit_log.h"
#include "base/bytes.h"
#include "store/store.h"

namespace bianmin::access {
namespace {

constexpr const char* kClerkSignIn = "clerk_sign_in";

int64_t unix_s(time::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// An unknown clerk number costs the same scrypt time as a known one, so
// the time of an answer does not tell which numbers exist.
const std::string& decoy_hash() {
  static const std::string h = [] {
    auto r = hash_pin("00000000");
    return r ? *r : std::string();
  }();
  return h;
}

}  // namespace

Status check_clerk_id(std::string_view id) {
  if (id.empty() || id.size() > 32) return make_error("input_invalid", "a clerk number has 1 to 32 characters");
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return make_error("input_invalid", "a clerk number has only letters, digits, '-' and '_'");
  return {};
}

Status ClerkAccounts::audit(const char* type, const std::string& detail) {
  audit::AuditLog log(store_.db(), store_.sealer());
  BIANMIN_TRY(log.append(type, {{"detail", detail}}));
  return {};
}

Status ClerkAccounts::add(std::string_view id, std::string_view name, std::string_view pin) {
  BIANMIN_TRY(check_clerk_id(id));
  if (name.empty() || utf8_length(name) > 50) return make_error("input_invalid", "a clerk needs a name (at most 50 characters)");
  BIANMIN_ASSIGN(std::string hash, hash_pin(pin));
  return store_.db().transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement exists, store_.db().prepare("SELECT 1 FROM clerks WHERE clerk_id = ?"));
    exists.bind(1, id);
    BIANMIN_ASSIGN(bool taken, exists.step());
    if (taken) return make_error("exists", "clerk " + std::string(id) + " exists already");
    const std::string now = time::now_rfc3339();
    BIANMIN_ASSIGN(store::Statement st,
                   store_.db().prepare("INSERT INTO clerks(clerk_id, name, pin_hash, state, created_at, updated_at) "
                                       "VALUES (?, ?, ?, 'active', ?, ?)"));
    BIANMIN_TRY(st.bind(1, id).bind(2, name).bind(3, hash).bind(4, now).bind(5, now).run());
    return audit(audit::kConfigChange, "clerk added: " + std::string(id));
  });
}

Result<std::vector<Clerk>> ClerkAccounts::list(time::TimePoint now) {
  std::vector<Clerk> out;
  BIANMIN_ASSIGN(store::Statement st,
                 store_.db().prepare("SELECT clerk_id, name, state, locked_until FROM clerks ORDER BY clerk_id"));
  const int64_t t = unix_s(now);
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    Clerk c{st.text(0), st.text(1), st.text(2), locked_for(LockoutState{0, st.integer(3)}, t)};
    if (c.state == "active" && c.locked_for_s > 0) c.state = "locked";
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<std::string>> ClerkAccounts::name_of(std::string_view id) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare("SELECT name FROM clerks WHERE clerk_id = ?"));
  st.bind(1, id);
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>(st.text(0));
}

Status ClerkAccounts::update_one(std::string_view sql_set, std::string_view value, std::string_view id,
                                 const char* what) {
  return store_.db().transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement st, store_.db().prepare("UPDATE clerks SET " + std::string(sql_set) +
                                                            ", updated_at = ? WHERE clerk_id = ?"));
    BIANMIN_TRY(st.bind(1, value).bind(2, time::now_rfc3339()).bind(3, id).run());
    BIANMIN_ASSIGN(store::Statement changed, store_.db().prepare("SELECT changes()"));
    BIANMIN_ASSIGN(bool row, changed.step());
    if (!row || changed.integer(0) == 0) return make_error("not_found", "no clerk " + std::string(id));
    return audit(audit::kConfigChange, std::string(what) + ": " + std::string(id));
  });
}

Status ClerkAccounts::disable(std::string_view id) { return update_one("state = ?", "disabled", id, "clerk disabled"); }

Status ClerkAccounts::enable(std::string_view id) { return update_one("state = ?", "active", id, "clerk enabled"); }

Status ClerkAccounts::reset_pin(std::string_view id, std::string_view pin) {
  BIANMIN_ASSIGN(std::string hash, hash_pin(pin));
  const Status st = update_one("pin_hash = ?, pin_failures = 0, locked_until = 0", hash, id, "clerk PIN reset");
  secure_wipe(hash);
  return st;
}

Result<ClerkCheck> ClerkAccounts::check(std::string_view id, std::string_view pin, time::TimePoint now) {
  ClerkCheck c;
  c.clerk_id = std::string(id);
  BIANMIN_ASSIGN(store::Statement st,
                 store_.db().prepare("SELECT name, pin_hash, state, pin_failures, locked_until FROM clerks "
                                     "WHERE clerk_id = ?"));
  st.bind(1, id);
  BIANMIN_ASSIGN(bool found, st.step());
  if (!found || st.text(2) != "active") {
    if (!found) verify_pin(pin, decoy_hash());
    c.disabled = true;
    BIANMIN_TRY(audit(kClerkSignIn, c.clerk_id + " refused; " + (found ? "disabled" : "unknown")));
    return c;
  }
  c.name = st.text(0);
  const std::string stored = st.text(1);
  LockoutState lockout{st.integer(3), st.integer(4)};
  st.reset();
  const int64_t t = unix_s(now);
  if ((c.locked_for_s = locked_for(lockout, t)) > 0) {
    BIANMIN_TRY(audit(kClerkSignIn, c.clerk_id + " refused; locked"));
    return c;
  }
  c.ok = verify_pin(pin, stored);
  const AttemptOutcome outcome = record_attempt(lockout, c.ok, t);
  c.attempts_left = outcome.attempts_left;
  c.locked_for_s = outcome.locked_for_s;
  BIANMIN_TRY(store_.db().transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement up, store_.db().prepare(
                                            "UPDATE clerks SET pin_failures = ?, locked_until = ? WHERE clerk_id = ?"));
    BIANMIN_TRY(up.bind(1, lockout.failures).bind(2, lockout.locked_until).bind(3, id).run());
    return audit(kClerkSignIn, c.ok ? c.clerk_id : c.clerk_id + (c.locked_for_s > 0 ? " refused; locked" : " refused"));
  }));
  if (!c.ok) c.name.clear();
  return c;
}

}  // namespace bianmin::access
