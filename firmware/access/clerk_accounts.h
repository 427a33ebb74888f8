// The window clerks who may sign in at this counter terminal, kept in the
// store's `clerks` table (the data partition, so an update keeps them).
// A technician provisions them (`bianmin clerk add|list|disable|reset-pin`).
//
// PINs are hashed with scrypt (pin_hash.h) and never stored, printed or
// logged in clear; each clerk has the terminal's PIN lockout
// (pin_lockout.h). Every change and every sign-in attempt is audited with
// the clerk's number, never the PIN.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace bianmin::store { class Store; }

namespace bianmin::access {

struct Clerk {
  std::string id, name;
  std::string state;  // active | disabled | locked (too many wrong PINs, for now)
  int64_t locked_for_s = 0;
};

struct ClerkCheck {
  bool ok = false;
  std::string clerk_id, name;
  int attempts_left = 0;
  int64_t locked_for_s = 0;
  bool disabled = false;  // disabled, or no such clerk
};

// 1 to 32 of A-Z a-z 0-9 - _: what goes on a slip and into `clerk_id`.
Status check_clerk_id(std::string_view id);

class ClerkAccounts {
 public:
  explicit ClerkAccounts(store::Store& store) : store_(store) {}

  // "exists" when the number is taken; "input_invalid" for a bad number,
  // an empty name or a PIN that is not 6-12 digits.
  Status add(std::string_view id, std::string_view name, std::string_view pin);
  Result<std::vector<Clerk>> list(time::TimePoint now);
  // The clerk's name (for the acceptance slip); nullopt for an unknown number.
  Result<std::optional<std::string>> name_of(std::string_view id);
  // "not_found" for an unknown number.
  Status disable(std::string_view id);
  Status enable(std::string_view id);
  // A new PIN also lifts a lockout.
  Status reset_pin(std::string_view id, std::string_view pin);
  Result<ClerkCheck> check(std::string_view id, std::string_view pin, time::TimePoint now);

 private:
  Status audit(const char* type, const std::string& detail);
  // UPDATE clerks SET <sql_set with one ?> for one clerk; "not_found" when none.
  Status update_one(std::string_view sql_set, std::string_view value, std::string_view id, const char* what);
  store::Store& store_;
};

}  // namespace bianmin::access
