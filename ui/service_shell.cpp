#include "service_shell.h"

#include <nlohmann/json.hpp>
#include <unistd.h>


#include "access/technician_access.h"
#include "base/bytes.h"
#include "base/child_process.h"
#include "base/fs.h"
#include "base/time.h"
#include "base/log.h"
#include "outbox/application_store.h"
#include "outbox/delivery.h"
#include "plugged_devices.h"
#include "shell.h"
#include "update/stick_bundles.h"

namespace bianmin::ui {
namespace {

using json = nlohmann::json;

// The diagnose report as `bianmin diagnose --json` prints it (the contract
// of issue 10) back into the report the checklist screen draws.
diagnose::Report parse_report(const std::string& text) {
  diagnose::Report r;
  const auto j = json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("checks") || !j["checks"].is_array()) return r;
  for (const auto& c : j["checks"]) {
    if (!c.is_object()) continue;
    diagnose::CheckResult cr;
    cr.id = c.value("id", "");
    cr.title = c.value("title", "");
    const std::string v = c.value("verdict", "fail");
    cr.finding.verdict = v == "ok" ? diagnose::Verdict::ok : v == "warn" ? diagnose::Verdict::warn : diagnose::Verdict::fail;
    cr.finding.figure = c.value("figure", "");
    cr.finding.advice = c.value("advice", "");
    r.checks.push_back(std::move(cr));
  }
  if (j.contains("repairs") && j["repairs"].is_array())
    for (const auto& rp : j["repairs"])
      if (rp.is_object()) r.repairs.push_back({rp.value("id", ""), rp.value("action", "")});
  return r;
}

// The last line a command wrote to stderr, without our log prefix noise:
// what it said went wrong.
std::string last_line(const std::string& err) {
  std::string s = err;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  const auto nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

}  // namespace

ServiceShell::ServiceShell(ServiceShellOptions options, Shell& shell, Inbox& inbox)
    : opt_(std::move(options)), shell_(shell), inbox_(inbox) {}

ServiceShell::~ServiceShell() { worker_.stop(); }

store::Store* ServiceShell::store() {
  if (!store_) {
    auto s = store::Store::open(opt_.store);
    if (!s) {
      log::error("service", "store unavailable", {{"error", s.error().code}});
      return nullptr;
    }
    store_ = std::move(*s);
  }
  return store_.get();
}

void ServiceShell::answer(session::ServiceInput in) { inbox_.push(std::move(in)); }

ServiceShell::Ran ServiceShell::run(std::vector<std::string> args, int timeout_s, std::string stdin_text) {
  std::vector<std::string> argv{opt_.self};
  argv.insert(argv.end(), opt_.globals.begin(), opt_.globals.end());
  argv.insert(argv.end(), args.begin(), args.end());
  ChildOptions o;
  o.timeout = std::chrono::seconds(timeout_s);
  o.stdin_text = std::move(stdin_text);
  auto r = run_child(argv, o);
  secure_wipe(o.stdin_text);
  if (!r) return {-1, {}, r.error().message};
  if (r->timed_out) return {-1, r->out, "no answer within " + std::to_string(timeout_s) + " s"};
  log::info("service", "command", {{"command", args.empty() ? "" : args[0]}, {"exit", r->exit_code}});
  return {r->exit_code, std::move(r->out), std::move(r->err)};
}

void ServiceShell::carry_out(session::ServiceEffect effect) {
  std::visit(
      [this](auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, session::DoAudit>) {
          shell_.carry_out(session::Effect{e});
        } else if constexpr (std::is_same_v<E, session::DoCheckPin>) {
          worker_.post([this, pin = std::move(e.pin)]() mutable { check_pin(std::move(pin)); });
        } else if constexpr (std::is_same_v<E, session::DoCheckCard>) {
          worker_.post([this, id = std::move(e.id_number)]() mutable { check_card(std::move(id)); });
        } else if constexpr (std::is_same_v<E, session::DoRunChecks>) {
          worker_.post([this, fix = e.fix] { run_checks(fix); });
        } else if constexpr (std::is_same_v<E, session::DoEnrol>) {
          worker_.post([this, p = e.payload] { enrol(p); });
        } else if constexpr (std::is_same_v<E, session::DoTestDevice>) {
          // The camera's test is its live picture (the kiosk measures the
          // preview); the card and the scanner answer by being used.
          if (e.device == session::DeviceKind::printer) worker_.post([this] { test_printer(); });
          if (e.device == session::DeviceKind::speaker) worker_.post([this] { test_speaker(); });
        } else if constexpr (std::is_same_v<E, session::DoListDevices>) {
          worker_.post([this] { list_devices(); });
        } else if constexpr (std::is_same_v<E, session::DoSaveSetting>) {
          worker_.post([this, k = e.key, v = e.value] { save_setting(k, v); });
        } else if constexpr (std::is_same_v<E, session::DoLoadQueue>) {
          worker_.post([this] { load_queue(); });
        } else if constexpr (std::is_same_v<E, session::DoRetry>) {
          worker_.post([this, id = e.client_id, t = e.technician] { queue_action("retry", id, t, ""); });
        } else if constexpr (std::is_same_v<E, session::DoDiscard>) {
          worker_.post([this, id = e.client_id, t = e.technician, r = e.reason] { queue_action("discard", id, t, r); });
        } else if constexpr (std::is_same_v<E, session::DoExportLogs>) {
          worker_.post([this, t = e.technician] { export_logs(t); });
        } else if constexpr (std::is_same_v<E, session::DoFindBundles>) {
          worker_.post([this] { find_bundles(); });
        } else if constexpr (std::is_same_v<E, session::DoInstallUpdate>) {
          worker_.post([this, p = e.path, t = e.technician] { install_update(p, t); });
        } else if constexpr (std::is_same_v<E, session::DoFactoryReset>) {
          worker_.post([this] { factory_reset(); });
        } else if constexpr (std::is_same_v<E, session::DoCloseService>) {
          // Nothing held here outlives its job: the reader is given back
          // by the job that borrowed it (run_checks, export_logs), never
          // from the render thread, which must not wait on the reader.
        }
      },
      effect);
}

void ServiceShell::open_service() { worker_.post([this] { open_service_now(); }); }

void ServiceShell::open_service_now() {
  // A copy of a bundle left by an install the kiosk did not live to finish.
  update::unstage_bundles(opt_.store.data_dir);
  session::OpenService o;
  if (store::Store* s = store()) {
    auto pin = access::TechnicianAccess(*s).pin_set();
    o.pin_set = pin && *pin;
    auto enrolled = s->setting("terminal.id");
    o.enrolled = enrolled && *enrolled && !(*enrolled)->empty();
  }
  answer(o);
}

void ServiceShell::check_pin(std::string pin) {
  session::CredentialChecked c;
  if (store::Store* s = store()) {
    access::TechnicianAccess a(*s);
    if (auto r = a.check_pin(pin, time::Clock::now()))
      c = {r->ok, r->technician, r->attempts_left, r->locked_for_s};
    else
      log::error("service", "PIN check failed", {{"error", r.error().code}});
  }
  secure_wipe(pin);
  answer(c);
}

void ServiceShell::check_card(std::string id_number) {
  session::CredentialChecked c;
  if (store::Store* s = store()) {
    access::TechnicianAccess a(*s);
    if (auto r = a.check_card(id_number)) c = {r->ok, r->technician, r->attempts_left, r->locked_for_s};
  }
  secure_wipe(id_number);
  answer(c);
}

void ServiceShell::run_checks(bool fix) {
  // The diagnose command probes the ID reader itself: the kiosk's own
  // reader service lets go of it meanwhile, or the two would interleave
  // commands on one serial line.
  shell_.pause_reader(true);
  std::vector<std::string> args{"diagnose", "--json"};
  if (fix) args.push_back("--fix");
  Ran r = run(args, 60);
  shell_.pause_reader(false);
  diagnose::Report rep = parse_report(r.out);
  if (rep.checks.empty()) {
    diagnose::CheckResult cr;
    cr.id = "diagnose";
    cr.title = "bianmin diagnose";
    cr.finding = diagnose::fail("no report", last_line(r.err));
    rep.checks.push_back(std::move(cr));
  }
  answer(session::ChecksDone{std::move(rep)});
}

void ServiceShell::enrol(const std::string& payload) {
  // The payload holds the one-time code: it goes to the command in a file
  // only this user can read (the data directory is 0700), not on a command
  // line that every user's `ps` shows.
  const std::string dir = opt_.store.data_dir, file = dir + "/enrol-qr.txt";
  if (auto st = fs::write_durably(dir, dir, "enrol-qr.txt", payload, 0600); !st) {
    answer(session::EnrolDone{false, "", st.error().message});
    return;
  }
  Ran r = run({"enroll", "--qr", file, "--json"}, 60);
  ::unlink(file.c_str());
  session::EnrolDone d;
  d.ok = r.exit_code == 0;
  if (d.ok) {
    const auto j = json::parse(r.out, nullptr, false);
    d.terminal_id = j.is_object() ? j.value("terminal_id", "") : "";
    d.message = "enrolled as " + d.terminal_id;
    outbox::wake_sync_daemon(opt_.store.data_dir);
    shell_.reload_enrolment();
  } else {
    d.message = last_line(r.err);
  }
  answer(std::move(d));
}

void ServiceShell::test_printer() {
  Ran r = run({"print", "test"}, 30);
  session::DeviceTested t{session::DeviceKind::printer, r.exit_code == 0, {}};
  t.lines.push_back(t.ok ? "test page printed" : last_line(r.err));
  Ran st = run({"print", "status"}, 15);
  if (!st.out.empty()) t.lines.push_back("status: " + last_line(st.out));
  answer(std::move(t));
}

// The speaker: a prompt said out loud at the configured volume, as
// `bianmin voice say` does; what it measured is shown.
void ServiceShell::test_speaker() {
  Ran r = run({"voice", "say", "--prompt", "place_card", "--json"}, 30);
  session::DeviceTested t{session::DeviceKind::speaker, r.exit_code == 0, {}};
  if (t.ok) {
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    char figure[96];
    std::snprintf(figure, sizeof figure, "%.1f s, peak %.2f", j.value("seconds", 0.0), j.value("peak", 0.0));
    t.lines = {j.value("text", std::string()), figure};
  } else {
    t.lines.push_back(last_line(r.err));
  }
  answer(std::move(t));
}

void ServiceShell::list_devices() {
  answer(session::DevicesListed{plugged_devices("/dev", opt_.current)});
}

void ServiceShell::save_setting(const std::string& key, const std::string& value) {
  Ran r = run({"config", "set", key + "=" + value}, 15);
  answer(session::ServiceActionDone{r.exit_code == 0, r.exit_code == 0 ? key + " = " + value + " (used from the next start)"
                                                                       : last_line(r.err)});
}

void ServiceShell::load_queue() {
  session::QueueListed q;
  if (store::Store* s = store()) {
    outbox::ApplicationStore apps(*s);
    outbox::ListFilter f;
    f.state = "quarantined";
    if (auto list = apps.list(f))
      for (const auto& a : *list)
        q.entries.push_back({a.client_id, a.item_code, a.quarantine_reason.value_or(a.last_error.value_or("")),
                             a.submitted_at});
  }
  answer(std::move(q));
}

void ServiceShell::queue_action(const std::string& verb, const std::string& id, const std::string& technician,
                                const std::string& reason) {
  std::vector<std::string> args{"queue", verb, id, "--technician", technician};
  if (verb == "discard") {
    args.push_back("--reason");
    args.push_back(reason);
  }
  Ran r = run(args, 30);
  answer(session::ServiceActionDone{r.exit_code == 0, r.exit_code == 0 ? last_line(r.out) : last_line(r.err)});
}

void ServiceShell::export_logs(const std::string& technician) {
  const std::string base = opt_.export_dir.empty() ? update::mounted_stick(W_OK) : opt_.export_dir;
  if (base.empty()) {
    answer(session::ServiceActionDone{false, "no USB stick found: plug one in and try again"});
    return;
  }
  const std::string stamp = time::format_rfc3339(time::Clock::now());
  std::string name = "bianmin-" + (opt_.terminal_code.empty() ? std::string("unenrolled") : opt_.terminal_code) + "-" + stamp;
  for (char& ch : name)
    if (ch == ':') ch = '-';  // FAT has no colons
  const std::string dir = base + "/" + name;
  if (auto st = fs::make_dirs(dir, 0700); !st) {
    answer(session::ServiceActionDone{false, st.error().message});
    return;
  }
  // What a remote colleague needs: the report, the audit chain (masked by
  // design), and the journal of our services. Logs hold no personal data.
  std::vector<std::string> written, missing;
  auto save = [&](const std::string& file, const Ran& r, bool ok) {
    if (ok && fs::write_durably(dir, dir, file, r.out, 0600)) written.push_back(file);
    else missing.push_back(file + " (" + last_line(r.err) + ")");
  };
  shell_.pause_reader(true);
  Ran report = run({"diagnose", "--json"}, 60);
  shell_.pause_reader(false);
  save("diagnose.json", report, !report.out.empty());
  Ran audit = run({"audit", "list"}, 60);
  save("audit.jsonl", audit, audit.exit_code == 0);
  ChildOptions jo;
  jo.timeout = std::chrono::seconds(60);
  auto journal = run_child({"journalctl", "--no-pager", "-o", "short-iso", "--since", "-7d", "-u", "bianmin-*"}, jo);
  Ran j = journal ? Ran{journal->exit_code, journal->out, journal->err} : Ran{-1, {}, "no journalctl on this system"};
  save("journal.txt", j, j.exit_code == 0);
  ::sync();
  std::string msg = "exported to " + dir + ": ";
  for (const auto& w : written) msg += w + " ";
  if (!missing.empty()) {
    msg += "; not exported: ";
    for (const auto& m : missing) msg += m + " ";
  }
  shell_.carry_out(session::Effect{session::DoAudit{"logs_exported", technician + ": " + name}});
  answer(session::ServiceActionDone{!written.empty(), msg});
}

void ServiceShell::factory_reset() {
  Ran r = run({"store", "factory-reset", "--yes"}, 120);
  answer(session::FactoryResetDone{r.exit_code == 0, r.exit_code == 0 ? last_line(r.out) : last_line(r.err)});
}

}  // namespace bianmin::ui
