// One check of `bianmin diagnose`: what it looks at, how long it may take,
// and what it found. Checks are plain functions so that each layer (core,
// sync, drivers, ui) contributes its own without the report knowing them.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace bianmin::diagnose {

// The values are the exit codes of `bianmin diagnose`.
enum class Verdict { ok = 0, warn = 1, fail = 2 };

const char* to_string(Verdict v);
// The worse of the two: fail over warn over ok.
Verdict worst(Verdict a, Verdict b);

struct Finding {
  Verdict verdict = Verdict::ok;
  std::string figure;  // what was measured, for a person: "12 pending, oldest 3 min"
  std::string advice;  // what to do about it; empty when ok
};

inline Finding ok(std::string figure) { return {Verdict::ok, std::move(figure), {}}; }
inline Finding warn(std::string figure, std::string advice) {
  return {Verdict::warn, std::move(figure), std::move(advice)};
}
inline Finding fail(std::string figure, std::string advice) {
  return {Verdict::fail, std::move(figure), std::move(advice)};
}

// Where a check stands in the report: the order a technician works through
// a terminal (configuration before store before network before devices).
enum class Stage : int {
  configuration = 10,
  system = 15,
  store = 20,
  catalogue = 30,
  enrolment = 40,
  network = 50,
  delivery = 60,
  audit = 70,
  devices = 80,
  fonts = 90,
  display = 95,
};

struct Check {
  std::string id;     // stable, machine-readable: "store", "device.printer"
  std::string title;  // for a person
  Stage stage = Stage::configuration;
  std::chrono::milliseconds timeout{3000};
  std::function<Finding()> run;
  // A safe repair for a check that did not pass, or none. It returns what
  // it did, in a sentence ("re-requested the catalogue"), or nothing when
  // there was nothing safe to do for this finding.
  std::function<std::optional<std::string>(const Finding&)> fix;
};

}  // namespace bianmin::diagnose
