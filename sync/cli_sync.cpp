// bianmin syncd
// bianmin enroll (--central URL --code CODE (--ca-fingerprint SHA256 | --ca-file PEM) | --qr TEXT|FILE) [--json]
// bianmin sync status [--json] | sync progress --receipt R --token T [--json] | sync wake
#include "cli_sync.h"

#include <cstdio>

#include "base/fs.h"
#include "base/log.h"
#include "client/audit_report.h"
#include "client/daemon.h"
#include "client/device_report.h"
#include "client/enrolment.h"
#include "client/progress.h"
#include "common/enrol_qr.h"
#include "hall/hall_setup.h"
#include "common/pki.h"
#include "outbox/delivery.h"
#include "outbox/feedback.h"

namespace bianmin::sync {
namespace {

using json = nlohmann::json;
using cli::Runner;

// Exit codes of the network commands, beyond the core's 0–5.
enum : int { kUnreachable = 6, kUntrusted = 7, kBadAnswer = 8 };

int fail_network(const Error& e) {
  if (e.code == "unreachable" || e.code == "interrupted" || e.code == "tls_failed") return Runner::fail(e, kUnreachable);
  if (e.code == "tls_untrusted") return Runner::fail(e, kUntrusted);
  if (e.code == "response_invalid" || e.code == "enrol_refused" || e.code == "central_error")
    return Runner::fail(e, kBadAnswer);
  if (e.code == "enrollment_code_invalid" || e.code == "input_invalid" || e.code == "pem_invalid")
    return Runner::fail(e, cli::kRejected);
  if (e.code == "not_found") return Runner::fail(e, cli::kNotFound);
  if (e.code == "not_enrolled") return Runner::fail(e, cli::kStoreError);
  return cli::fail(e);
}

std::string hardware_serial(const config::Config& cfg) {
  if (!cfg.str("terminal.serial").empty()) return cfg.str("terminal.serial");
  auto id = fs::read_file("/etc/machine-id", 256);
  std::string s = id ? *id : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "unknown" : s;
}

void add_syncd(CLI::App& app, Runner& r) {
  auto* cmd = app.add_subcommand("syncd", "Run the sync daemon: deliver the outbox, sync the catalogue and "
                                          "statuses, upload ratings, complaints, audit and heartbeats");
  on_run(cmd, r, [&r]() -> int {
    auto cfg = r.config();
    if (!cfg) return Runner::fail(cfg.error(), cli::kStoreError);
    auto s = r.store();  // migrations and start-up recovery, once
    if (!s) return cli::fail(s.error());
    // The hall's queue, when this terminal keeps it for the others: a
    // setting it cannot honour is logged, and delivery runs regardless.
    auto hall = hall::serve_hall_queue(**s, **cfg);
    if (!hall) log::error("hall", "not serving the hall's queue", {{"error", hall.error().message}});
    auto st = run_daemon(SyncSettings::from(**cfg), (*s)->options());
    if (!st) return cli::fail(st.error());
    return cli::kOk;
  });
}

void add_enroll(CLI::App& app, Runner& r) {
  auto* cmd = app.add_subcommand("enroll", "Enrol this terminal with the central (field technician)");
  cmd->footer("Exit codes: 0 enrolled, 1 usage, 2 code refused or bad input, 4 store problem, 6 central unreachable,\n"
              "7 the server is not the central named by the fingerprint (nothing was sent), 8 malformed answer.\n"
              "On any error the previous enrolment stays exactly as it was.");
  struct Args {
    std::string central, code, fingerprint, ca_file, qr;
    bool json_out = false;
  };
  auto a = std::make_shared<Args>();
  auto* central = cmd->add_option("--central", a->central, "Base URL of the central, https://host[:port]");
  auto* code = cmd->add_option("--code", a->code, "One-time enrolment code, e.g. 7KQ2-9XTA-44PM");
  auto* fp = cmd->add_option("--ca-fingerprint", a->fingerprint, "SHA-256 of the central's CA certificate (64 hex)");
  auto* file = cmd->add_option("--ca-file", a->ca_file, "The central's CA bundle (PEM), instead of the fingerprint");
  auto* qr = cmd->add_option("--qr", a->qr,
                             "The enrolment QR's text (bianmin-enrol:?central=…&code=…&ca=sha256:…) or a file "
                             "holding it, instead of --central, --code and --ca-fingerprint");
  fp->excludes(file);
  for (auto* o : {central, code, fp, file}) qr->excludes(o);
  cmd->add_flag("--json", a->json_out, "Print JSON");
  on_run(cmd, r, [&r, a]() -> int {
    if (!a->qr.empty()) {
      std::string text = a->qr;
      if (!is_enrol_qr(text)) {
        auto content = fs::read_file(a->qr, kMaxEnrolQrBytes + 2);
        if (!content) return Runner::fail(content.error(), cli::kRejected);
        text = *content;
      }
      auto parsed = parse_enrol_qr(text);
      if (!parsed) return Runner::fail(parsed.error(), cli::kRejected);
      a->central = parsed->central_url;
      a->code = parsed->code;
      a->fingerprint = parsed->ca_fingerprint;
    }
    if (a->central.empty() || a->code.empty())
      return Runner::fail(make_error("usage", "give --central and --code, or --qr"), cli::kUsage);
    if (a->fingerprint.empty() && a->ca_file.empty())
      return Runner::fail(make_error("usage", "give --ca-fingerprint or --ca-file"), cli::kUsage);
    auto cfg = r.config();
    if (!cfg) return Runner::fail(cfg.error(), cli::kStoreError);
    auto s = r.store();
    if (!s) return cli::fail(s.error());
    EnrolRequest req;
    req.central_url = a->central;
    req.code = a->code;
    req.ca_fingerprint = a->fingerprint;
    if (!a->ca_file.empty()) {
      auto pem = fs::read_file(a->ca_file, 1 << 20);
      if (!pem) return Runner::fail(pem.error(), cli::kRejected);
      req.ca_bundle_pem = *pem;
    }
    req.serial = hardware_serial(**cfg);
    req.model = (*cfg)->str("terminal.model");
    req.firmware_version = BIANMIN_VERSION;
    req.timeouts = SyncSettings::from(**cfg).timeouts;
    auto e = enrol(**s, req);
    if (!e) return fail_network(e.error());
    outbox::wake_sync_daemon((*s)->options().data_dir);
    if (a->json_out) {
      cli::print_json({{"terminal_id", e->terminal_id}, {"terminal_code", terminal_code_of(e->terminal_id)},
                       {"hall_name", e->hall_name}, {"region_code", e->region_code}, {"central", e->central_url},
                       {"ca_fingerprint", e->ca_fingerprint}});
    } else {
      std::printf("enrolled as %s (%s) with %s\nCA pinned: %s\n", e->terminal_id.c_str(), e->hall_name.c_str(),
                  e->central_url.c_str(), e->ca_fingerprint.c_str());
    }
    return cli::kOk;
  });
}

json status_json(store::Store& s) {
  json out;
  auto summary = outbox::Delivery(s).summary();
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  if (summary) {
    out["online"] = summary->online;
    out["checked_at"] = opt(summary->checked_at);
    out["clock_skew_ms"] = summary->clock_skew_ms;
    out["last_error"] = opt(summary->last_error);
    out["queue"] = {{"pending", summary->pending}, {"oldest_pending_at", opt(summary->oldest_pending_at)},
                    {"quarantined", summary->quarantined}, {"delivered", summary->delivered},
                    {"last_delivered_at", opt(summary->last_delivered_at)}};
  }
  if (auto f = outbox::FeedbackOutbox(s).pending(); f) out["feedback_pending"] = *f;
  out["devices"] = device_report(s);
  if (auto chain = audit_report(s); chain) out["audit"] = *chain;
  out["counters"] = json::object();
  if (auto st = s.db().prepare("SELECT name, value FROM counters WHERE name LIKE 'sync:%'"); st)
    while (auto row = st->step()) {
      if (!*row) break;
      out["counters"][st->text(0).substr(5)] = st->integer(1);
    }
  if (auto e = load_enrolment(s); e && *e) {
    const Enrolment& en = **e;
    json j = {{"terminal_id", en.terminal_id}, {"hall_name", en.hall_name}, {"central", en.central_url},
              {"ca_fingerprint", en.ca_fingerprint}, {"enrolled_at", en.enrolled_at}};
    if (auto info = pki::inspect(en.cert_pem); info) j["certificate_not_after"] = info->not_after;
    out["enrolment"] = j;
  } else {
    out["enrolment"] = nullptr;
  }
  return out;
}

void add_sync_group(CLI::App& app, Runner& r) {
  auto* g = app.add_subcommand("sync", "State of delivery to the central");
  g->require_subcommand(1);
  {
    auto* cmd = g->add_subcommand("status", "Enrolment, reachability and queue as the daemon last saw them");
    auto as_json = std::make_shared<bool>(false);
    cmd->add_flag("--json", *as_json, "Print JSON");
    on_run(cmd, r, [&r, as_json]() -> int {
      auto s = r.store();
      if (!s) return cli::fail(s.error());
      const json st = status_json(**s);
      if (*as_json) {
        cli::print_json(st);
        return cli::kOk;
      }
      if (st["enrolment"].is_null()) std::printf("not enrolled (run `bianmin enroll`)\n");
      else std::printf("enrolled: %s with %s\n", st["enrolment"]["terminal_id"].get<std::string>().c_str(),
                       st["enrolment"]["central"].get<std::string>().c_str());
      if (st.contains("queue")) {
        std::printf("central: %s%s\n", st["online"].get<bool>() ? "reachable" : "not reachable",
                    st["last_error"].is_string() ? (" (" + st["last_error"].get<std::string>() + ")").c_str() : "");
        std::printf("queue: %lld pending, %lld quarantined, %lld delivered\n",
                    static_cast<long long>(st["queue"]["pending"].get<int64_t>()),
                    static_cast<long long>(st["queue"]["quarantined"].get<int64_t>()),
                    static_cast<long long>(st["queue"]["delivered"].get<int64_t>()));
      }
      if (st.contains("audit")) {
        const json& a = st["audit"];
        std::printf("audit: %lld entries, central accepted through %lld\n",
                    static_cast<long long>(a["head_seq"].get<int64_t>()),
                    static_cast<long long>(a["accepted_through"].get<int64_t>()));
        if (a["break"].is_object())
          std::printf("AUDIT CHAIN BROKEN at seq %lld (%s): %s\n",
                      static_cast<long long>(a["break"]["seq"].get<int64_t>()),
                      a["break"]["kind"].get<std::string>().c_str(), a["break"]["message"].get<std::string>().c_str());
      }
      std::printf("devices:");
      for (const auto& [name, health] : st["devices"].items()) std::printf(" %s %s", name.c_str(), health.get<std::string>().c_str());
      std::printf("\n");
      return cli::kOk;
    });
  }
  {
    auto* cmd = g->add_subcommand("progress", "Ask the central for the progress of a receipt (as its QR code names it)");
    auto receipt = std::make_shared<std::string>();
    auto token = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    cmd->add_option("--receipt", *receipt, "Receipt number")->required();
    cmd->add_option("--token", *token, "Token from the receipt's QR code")->required();
    cmd->add_flag("--json", *as_json, "Print JSON");
    on_run(cmd, r, [&r, receipt, token, as_json]() -> int {
      auto cfg = r.config();
      if (!cfg) return Runner::fail(cfg.error(), cli::kStoreError);
      auto s = r.store();
      if (!s) return cli::fail(s.error());
      auto st = query_progress(**s, SyncSettings::from(**cfg), *receipt, *token);
      if (!st) return fail_network(st.error());
      json history = json::array();
      for (const auto& h : st->history) history.push_back({{"status", h.status}, {"at", h.at}, {"note", h.note}});
      const json out = {{"client_id", st->client_id}, {"case_no", st->case_no}, {"receipt_no", st->receipt_no},
                        {"item_code", st->item_code}, {"status", st->status}, {"updated_at", st->updated_at},
                        {"deadline", st->deadline}, {"overdue", st->overdue}, {"history", history}};
      if (*as_json) cli::print_json(out);
      else std::printf("%s %s: %s (deadline %s%s)\n", st->receipt_no.c_str(), st->case_no.c_str(),
                       st->status.c_str(), st->deadline.c_str(), st->overdue ? ", overdue" : "");
      return cli::kOk;
    });
  }
  {
    auto* cmd = g->add_subcommand("wake", "Tell a running syncd that something was queued");
    on_run(cmd, r, [&r]() -> int {
      auto cfg = r.config();
      if (!cfg) return Runner::fail(cfg.error(), cli::kStoreError);
      outbox::wake_sync_daemon((*cfg)->data_dir());
      return cli::kOk;
    });
  }
}

}  // namespace

void add_sync_commands(CLI::App& app, Runner& r) {
  add_syncd(app, r);
  add_enroll(app, r);
  add_sync_group(app, r);
}

}  // namespace bianmin::sync
