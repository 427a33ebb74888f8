#include "diagnose/report.h"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace bianmin::diagnose {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::ok: return "ok";
    case Verdict::warn: return "warn";
    case Verdict::fail: return "fail";
  }
  return "fail";
}

Verdict worst(Verdict a, Verdict b) { return static_cast<int>(a) > static_cast<int>(b) ? a : b; }

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The hand-over between a check's thread and the report: the thread may
// outlive the wait, so what they share is owned by both.
template <class T>
struct Outcome {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<T> value;
};

// Runs `fn` on its own thread and waits at most `timeout` for it. Nothing
// on the far side of a timeout is joined: a device read stuck in the kernel
// cannot be cancelled from here, and the report must not hang with it.
template <class T, class Fn>
std::optional<T> bounded(Fn fn, milliseconds timeout, bool* abandoned) {
  auto out = std::make_shared<Outcome<T>>();
  std::thread worker([out, fn = std::move(fn)]() mutable {
    T v = fn();
    std::lock_guard<std::mutex> lock(out->mu);
    out->value = std::move(v);
    out->cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(out->mu);
  if (!out->cv.wait_for(lock, timeout, [&] { return out->value.has_value(); })) {
    worker.detach();
    *abandoned = true;
    return std::nullopt;
  }
  lock.unlock();
  worker.join();
  return std::move(out->value);
}

std::string seconds(milliseconds ms) {
  const auto tenths = ms.count() / 100;
  return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "") + " s";
}

Finding run_one(const Check& c, bool* abandoned) {
  auto fn = c.run;
  auto found = bounded<Finding>(
      [fn]() -> Finding {
        try {
          return fn();
        } catch (const std::exception& e) {
          return fail(std::string("the check itself failed: ") + e.what(),
                      "report this to the firmware's maintainers with `bianmin diagnose --json`");
        }
      },
      c.timeout, abandoned);
  if (found) return std::move(*found);
  return fail("no answer within " + seconds(c.timeout),
              "something this check waits for hangs (a device or the network); look at it first, "
              "then run diagnose again");
}

}  // namespace

bool Checklist::set_fix(const std::string& id, std::function<std::optional<std::string>(const Finding&)> fix) {
  for (auto& c : checks_)
    if (c.id == id) {
      c.fix = std::move(fix);
      return true;
    }
  return false;
}

Report run(std::vector<Check> checks, const RunOptions& options) {
  std::stable_sort(checks.begin(), checks.end(),
                   [](const Check& a, const Check& b) { return a.stage < b.stage; });
  Report report;
  for (const Check& c : checks) {
    const auto started = Clock::now();
    Finding f = run_one(c, &report.abandoned_a_check);
    if (options.fix && f.verdict != Verdict::ok && c.fix) {
      auto fix = c.fix;
      auto action = bounded<std::optional<std::string>>([fix, f] { return fix(f); }, c.timeout,
                                                        &report.abandoned_a_check);
      if (!action) {
        report.repairs.push_back({c.id, "the repair did not finish within " + seconds(c.timeout)});
      } else if (*action) {
        report.repairs.push_back({c.id, **action});
        f = run_one(c, &report.abandoned_a_check);
      }
    }
    report.checks.push_back(
        {c.id, c.title, std::move(f), std::chrono::duration_cast<milliseconds>(Clock::now() - started)});
  }
  return report;
}

Verdict Report::verdict() const {
  Verdict v = Verdict::ok;
  for (const auto& c : checks) v = worst(v, c.finding.verdict);
  return v;
}

int Report::exit_code() const { return static_cast<int>(verdict()); }

nlohmann::json Report::to_json(bool with_repairs) const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : checks)
    list.push_back({{"id", c.id}, {"title", c.title}, {"verdict", to_string(c.finding.verdict)},
                    {"figure", c.finding.figure}, {"advice", c.finding.advice}, {"ms", c.took.count()}});
  nlohmann::json out = {{"checks", list}, {"verdict", to_string(verdict())}};
  if (with_repairs) {
    nlohmann::json done = nlohmann::json::array();
    for (const auto& r : repairs) done.push_back({{"id", r.id}, {"action", r.action}});
    out["repairs"] = done;
  }
  return out;
}

std::string Report::to_text() const {
  std::string out;
  for (const auto& c : checks) {
    std::string mark = c.finding.verdict == Verdict::ok ? "ok  " : c.finding.verdict == Verdict::warn ? "WARN" : "FAIL";
    out += mark + "  " + c.title + ": " + c.finding.figure + "\n";
    if (!c.finding.advice.empty()) out += "      → " + c.finding.advice + "\n";
  }
  for (const auto& r : repairs) out += "fixed " + r.id + ": " + r.action + "\n";
  out += std::string("verdict: ") + to_string(verdict()) + "\n";
  return out;
}

}  // namespace bianmin::diagnose
