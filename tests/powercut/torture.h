// The power-cut torture run: a terminal's data directory on a LazyDisk,
// `bianmin submit` in a loop and `bianmin syncd` delivering to the reference
// central, cut at a random moment, restarted from what the disk kept, again
// and again. What a resident holds is a printed receipt: every submit that
// returned must survive every later cut; the central must never hold an
// application twice; the store and the audit chain must check out after
// every restart.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace bianmin::testing::powercut {

struct TortureOptions {
  std::string work_dir;
  std::string bianmin, central;    // the binaries
  std::string fixtures;            // mini-catalog.json, applicant.json, form.json
  int cuts = 20;
  int max_delay_ms = 1500;         // a cut comes 0…this long after start-up
  std::uint64_t seed = 1;
  bool verbose = false;
  bool keep_live = false;          // copy the live tree before every cut (slow; for a failure's look)
};

struct TortureReport {
  int cuts = 0;
  int acknowledged = 0;            // submits that returned a receipt
  int lost = 0;                    // acknowledged but absent after a cut
  int integrity_failures = 0;      // `store check` not ok after a restart
  int audit_failures = 0;          // `audit verify` failed after a restart
  int duplicated_at_central = 0;   // client ids the central holds more than once
  int missing_at_central = 0;      // acknowledged, never delivered after the final drain
  std::uint64_t file_syncs = 0, dir_syncs = 0;
  double seconds = 0;
  std::string first_failure;       // what went wrong first, with the state kept for a look

  bool ok() const {
    return lost == 0 && integrity_failures == 0 && audit_failures == 0 && duplicated_at_central == 0 &&
           missing_at_central == 0 && first_failure.empty();
  }
  nlohmann::json to_json() const;
};

TortureReport run_torture(const TortureOptions& options);

}  // namespace bianmin::testing::powercut
