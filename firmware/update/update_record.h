// The last update's outcome, kept on the data partition (update.json) so
// that it survives the reboot into the new slot and a rollback: written by
// whoever installs (syncd, `bianmin update install`, both as the service
// user) and by the health check (root) after the boot; read by the
// heartbeat and `bianmin diagnose`.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "base/result.h"

namespace bianmin::update {

enum class Outcome {
  installing,    // RAUC is writing the other slot
  installed,     // written and made primary; waiting for a quiet moment to reboot
  refused,       // RAUC refused the bundle (signature, compatible, format): nothing changed
  failed,        // the install or download failed midway: the running slot is untouched
  good,          // booted the new slot and it proved healthy
  rolled_back,   // the new slot did not prove healthy; the old one boots again
};
const char* outcome_name(Outcome o);
std::optional<Outcome> outcome_from(std::string_view name);

struct UpdateRecord {
  std::string version;  // the bundle's version
  Outcome outcome = Outcome::installing;
  std::string message;  // why, for people ("signature verification failed", "kiosk not ready in 300 s")
  std::string slot;     // the slot written ("A"/"B"), when known
  std::string at;       // RFC 3339
};

nlohmann::json to_json(const UpdateRecord& r);

// The file's bytes (written by us, but on a partition a power cut or a
// full disk may have left short): code "update_record_invalid" for
// anything that is not the object to_json writes.
Result<UpdateRecord> parse_update_record(std::string_view text);
// data_dir/update.json; nullopt when no update ever ran.
Result<std::optional<UpdateRecord>> read_update_record(const std::string& data_dir);
// Durably, readable by the service user and root alike (0644).
Status write_update_record(const std::string& data_dir, UpdateRecord r);

}  // namespace bianmin::update
