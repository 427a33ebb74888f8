// Who may open service mode on this terminal: a service PIN, and technician
// ID cards registered by number. Kept in the store's settings table (the
// data partition, so an update keeps them):
//
//   service.pin_hash        scrypt hash (pin_hash.h)
//   service.pin_failures    wrong PINs in a row
//   service.locked_until    unix seconds; no PIN is checked before then
//   service.card.<mac hex>  {"name", "id_masked"}: the key is a MAC of the
//                           ID number under a device-key subkey, so the
//                           number itself is not kept
//
// Five wrong PINs lock the PIN for five minutes, across restarts. Every
// change and every refused attempt is audited; a PIN is never logged.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "access/pin_lockout.h"
#include "base/result.h"
#include "base/time.h"

namespace bianmin::store { class Store; }

namespace bianmin::access {

struct CredentialCheck {
  bool ok = false;
  std::string technician;  // "pin" or "card:<masked number>", as the audit chain names them
  int attempts_left = 0;
  int64_t locked_for_s = 0;
};

struct TechnicianCard {
  std::string name, id_masked;
};

class TechnicianAccess {
 public:
  explicit TechnicianAccess(store::Store& store) : store_(store) {}

  Result<bool> pin_set();
  Status set_pin(std::string_view pin);
  Status clear_pin();
  Result<CredentialCheck> check_pin(std::string_view pin, time::TimePoint now);

  // `id_number` must be a valid 18-character number (MOD 11-2).
  Status add_card(std::string_view id_number, const std::string& name);
  // By the number, or by its masked form as `cards()` lists it.
  Status remove_card(std::string_view id_number_or_masked);
  Result<std::vector<TechnicianCard>> cards();
  Result<CredentialCheck> check_card(std::string_view id_number);

 private:
  std::string card_key(std::string_view id_number) const;
  Status audit(const char* type, const std::string& detail);
  store::Store& store_;
};

}  // namespace bianmin::access
