// Runs a terminal's checks in order, each bounded by its timeout, and keeps
// what they found: the `bianmin diagnose` report.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "diagnose/check.h"

namespace bianmin::diagnose {

struct CheckResult {
  std::string id;
  std::string title;
  Finding finding;
  std::chrono::milliseconds took{0};
};

struct Repair {
  std::string id;      // the check it repaired
  std::string action;  // what was done
};

struct Report {
  std::vector<CheckResult> checks;
  std::vector<Repair> repairs;
  // A check ran past its timeout; its thread is still out there, so the
  // process must not wait for it on the way out (see run()).
  bool abandoned_a_check = false;

  Verdict verdict() const;
  // The contract: {"checks": [{"id","title","verdict","figure","advice"}…],
  // "verdict"}, plus "repairs" when --fix was asked for.
  nlohmann::json to_json(bool with_repairs) const;
  // One line per check for a person at a console.
  std::string to_text() const;
  // 0 all ok, 1 any warn, 2 any fail.
  int exit_code() const;
};

// The checks of a terminal as its layers contribute them. A layer may also
// attach a repair to another layer's check (the core checks the catalogue;
// only sync can fetch a new one).
class Checklist {
 public:
  void add(Check c) { checks_.push_back(std::move(c)); }
  // False when no check has that id.
  bool set_fix(const std::string& id, std::function<std::optional<std::string>(const Finding&)> fix);
  std::vector<Check> take() { return std::move(checks_); }

 private:
  std::vector<Check> checks_;
};

struct RunOptions {
  bool fix = false;
};

// Runs `checks` in stage order (a stable order within a stage). A check that
// does not finish within its timeout fails with "no answer"; a check that
// throws fails with what it threw. With `fix`, a check that did not pass and
// has a repair gets it, and is run again so the report shows what is true now.
Report run(std::vector<Check> checks, const RunOptions& options);

}  // namespace bianmin::diagnose
