// bianmin-central: the reference central approval server and its tools.
//   serve                 HTTPS on 127.0.0.1:8443 (CA created on first start)
//   ca-fingerprint        what technicians type into `bianmin enroll`
//   add-enrollment-code   one-time code for a terminal id
//   publish-catalog FILE  the published lists terminals download
//   advance CASE STATUS   move a case along the workflow
//   command TERMINAL TYPE queue a heartbeat command (refresh_catalog, upload_logs)
//   stats | applications | terminals   what the central holds (JSON)
//   clear-audit-break     let a terminal's broken audit chain advance again
//   proxy                 the fault proxy for tests (loopback only)
#include <CLI/CLI.hpp>
#include <signal.h>

#include <clocale>
#include <cstdio>
#include <iostream>
#include <thread>

#include "base/fs.h"
#include "base/log.h"
#include "central/central.h"
#include "central/enrol_qr_png.h"
#include "common/enrol_qr.h"
#include "central/fault_proxy.h"

using bianmin::sync::central::Central;
using bianmin::sync::central::CentralOptions;

namespace {

int fail(const bianmin::Error& e, int code = 2) {
  std::fprintf(stderr, "bianmin-central: %s\n", e.message.c_str());
  return code;
}

std::pair<std::string, int> split_host_port(const std::string& s) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos) return {s, 8443};
  return {s.substr(0, colon), std::atoi(s.c_str() + colon + 1)};
}

// Blocks until SIGINT or SIGTERM.
void wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
}

void block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "C.UTF-8");
  if (!std::getenv("TZ")) ::setenv("TZ", "Asia/Shanghai", 1);
  ::tzset();
  CLI::App app{"bianmin-central — the reference central approval server (development, demo, tests)"};
  app.require_subcommand(1);
  CentralOptions opts;
  std::string log_level = "info";
  app.add_option("--data-dir", opts.data_dir, "Database, CA and blobs (default ./central-data)");
  app.add_option("--log-level", log_level, "debug, info, warn, error, off");
  std::function<int()> action;

  auto* serve = app.add_subcommand("serve", "Serve the central API over HTTPS");
  std::string listen = "127.0.0.1:8443", port_file;
  serve->add_option("--listen", listen, "HOST:PORT (port 0: any free port)");
  serve->add_option("--port-file", port_file, "Write the port here once listening");
  serve->add_option("--hostname", opts.hostnames, "Names in the server certificate (default localhost 127.0.0.1)");
  serve->add_option("--demo-advance-s", opts.demo_advance_s, "Move every open case one step every N seconds");
  serve->add_option("--processing-delay-ms", opts.processing_delay_ms, "Hold each application (shows 409 in_progress)");
  serve->add_option("--max-inflight", opts.max_inflight, "Answer 503 + Retry-After beyond this many requests at once");
  serve->add_option("--fleet-size", opts.fleet_size, "Terminals that come back together after an outage (default: those enrolled)");
  serve->add_option("--capacity-per-s", opts.capacity_per_s, "Requests a second the central serves (default: as measured while shedding load), for the health answer's return_window_s");
  serve->add_option("--return-requests", opts.return_requests, "Requests a terminal makes on its return, for return_window_s");
  serve->add_option("--retry-after-s", opts.retry_after_s, "Least Retry-After of those 503s (a turned-away crowd is booked back over the following seconds at the pace the central serves)");
  serve->add_option("--threads", opts.threads, "Worker threads (each open connection holds one)");
  serve->add_option("--max-connections-per-peer", opts.max_connections_per_peer,
                    "Connections one address may hold at once (0: no limit)");
  serve->add_option("--header-timeout-ms", opts.header_timeout_ms,
                    "Time a TLS handshake plus a request's headers may take");
  serve->add_option("--enroll-failures-allowed", opts.enroll_failures_allowed,
                    "Refused enrolments per address within --enroll-failure-window-s before 429 (0: no limit)");
  serve->add_option("--enroll-failure-window-s", opts.enroll_failure_window_s, "See --enroll-failures-allowed");
  serve->add_option("--receipt-query-url", opts.receipt_query_url, "config.receipt_query_url handed to terminals");
  serve->callback([&] {
    action = [&]() -> int {
      auto [host, port] = split_host_port(listen);
      if (!bianmin::sync::central::is_loopback_host(host))
        std::fprintf(stderr, "bianmin-central: warning: listening on %s, not loopback\n", host.c_str());
      block_signals();
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      auto bound = (*c)->bind(host, port);
      if (!bound) return fail(bound.error(), 4);
      if (!port_file.empty()) {
        // Written whole, then renamed: a reader never sees half a number.
        std::FILE* f = std::fopen((port_file + ".tmp").c_str(), "w");
        if (f) {
          std::fprintf(f, "%d\n", *bound);
          std::fclose(f);
          std::rename((port_file + ".tmp").c_str(), port_file.c_str());
        }
      }
      bianmin::log::info("central", "serving", {{"address", host + ":" + std::to_string(*bound)},
                                                {"ca_fingerprint", (*c)->ca_fingerprint()}});
      std::thread server([&] { (*c)->serve(); });
      wait_for_signal();
      (*c)->stop();
      server.join();
      return 0;
    };
  });

  auto* fp = app.add_subcommand("ca-fingerprint", "Print the CA certificate's SHA-256 (creates the CA if needed)");
  bool print_pem = false;
  fp->add_flag("--pem", print_pem, "Print the CA certificate instead");
  fp->callback([&] {
    action = [&]() -> int {
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      std::printf("%s\n", print_pem ? (*c)->ca_pem().c_str() : (*c)->ca_fingerprint().c_str());
      return 0;
    };
  });

  auto* code = app.add_subcommand("add-enrollment-code", "Create a one-time enrolment code for a terminal");
  std::string terminal_id, region = "620702", hall = "甘州区梁家墩镇便民服务中心", code_text;
  int valid_hours = 72;
  code->add_option("--terminal-id", terminal_id, "e.g. 620702-001-K03")->required();
  code->add_option("--region", region, "Region code (行政区划代码)");
  code->add_option("--hall-name", hall, "Hall name printed on receipts");
  code->add_option("--code", code_text, "Use this code instead of a random one");
  code->add_option("--valid-hours", valid_hours, "Hours until the code expires");
  std::string qr_central, qr_png;
  code->add_option("--qr", qr_central,
                   "Also print the enrolment QR payload (second line) for terminals that reach this central at "
                   "URL, e.g. https://10.0.0.5:8443");
  code->add_option("--qr-png", qr_png, "With --qr: also draw the QR code into this PNG file for the work order");
  code->callback([&] {
    action = [&]() -> int {
      if (!qr_png.empty() && qr_central.empty()) return fail(bianmin::make_error("usage", "--qr-png needs --qr URL"), 1);
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      auto made = (*c)->add_enrollment_code(terminal_id, region, hall, code_text, valid_hours);
      if (!made) return fail(made.error());
      std::printf("%s\n", made->c_str());
      if (!qr_central.empty()) {
        const std::string payload = bianmin::sync::format_enrol_qr({qr_central, *made, (*c)->ca_fingerprint()});
        if (auto parsed = bianmin::sync::parse_enrol_qr(payload); !parsed) return fail(parsed.error(), 1);
        std::printf("%s\n", payload.c_str());
        if (!qr_png.empty())
          if (auto st = bianmin::sync::central::write_enrol_qr_png(qr_png, payload); !st) return fail(st.error());
      }
      return 0;
    };
  });

  auto* pub = app.add_subcommand("publish-catalog", "Publish a catalogue file (spec: Catalogue)");
  std::string catalog_file;
  pub->add_option("FILE", catalog_file, "Catalogue JSON")->required();
  pub->callback([&] {
    action = [&]() -> int {
      auto text = bianmin::fs::read_file(catalog_file, 64u << 20);
      if (!text) return fail(text.error());
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      auto v = (*c)->publish_catalog(*text);
      if (!v) return fail(v.error());
      std::printf("published catalogue version %s\n", v->c_str());
      return 0;
    };
  });

  auto* adv = app.add_subcommand("advance", "Set a case's status (received accepted supplement_required rejected "
                                            "in_review approved denied delivered withdrawn)");
  std::string case_no, status, note;
  adv->add_option("CASE", case_no, "Case number")->required();
  adv->add_option("STATUS", status, "New status")->required();
  adv->add_option("--note", note, "Note in the history");
  adv->callback([&] {
    action = [&]() -> int {
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      if (auto st = (*c)->advance(case_no, status, note); !st) return fail(st.error(), st.error().code == "not_found" ? 3 : 2);
      return 0;
    };
  });

  auto* cmd = app.add_subcommand("command", "Queue a command for a terminal's next heartbeat");
  std::string cmd_terminal, cmd_type;
  cmd->add_option("TERMINAL", cmd_terminal, "Terminal id")->required();
  cmd->add_option("TYPE", cmd_type, "refresh_catalog or upload_logs")->required();
  cmd->callback([&] {
    action = [&]() -> int {
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      if (auto st = (*c)->queue_command(cmd_terminal, cmd_type); !st) return fail(st.error());
      return 0;
    };
  });

  auto* offer = app.add_subcommand("offer-update",
                                   "Offer a signed system bundle to a share of the terminals (staged rollout), "
                                   "or withdraw the offer");
  std::string offer_bundle, offer_version;
  int offer_percent = 100;
  bool offer_withdraw = false;
  auto* bundle_opt = offer->add_option("--bundle", offer_bundle, "The bundle (.raucb, from image/bundle)")
                         ->check(CLI::ExistingFile);
  auto* version_opt = offer->add_option("--version", offer_version, "The bundle's version (as image/bundle gave it)");
  offer->add_option("--percent", offer_percent,
                    "Share of the terminals offered it, 0–100; raise it later to widen the rollout "
                    "(a terminal once offered stays offered)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  auto* withdraw_opt = offer->add_flag("--withdraw", offer_withdraw, "Withdraw the offer; terminals delete what they downloaded");
  withdraw_opt->excludes(bundle_opt)->excludes(version_opt);
  offer->callback([&] {
    action = [&]() -> int {
      if (!offer_withdraw && (offer_bundle.empty() || offer_version.empty()))
        return fail(bianmin::make_error("usage", "offer-update needs --bundle and --version, or --withdraw"), 2);
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      auto r = offer_withdraw ? (*c)->withdraw_update() : (*c)->offer_update(offer_bundle, offer_version, offer_percent);
      if (!r) return fail(r.error());
      std::cout << r->dump(2) << std::endl;
      return 0;
    };
  });

  auto* stats = app.add_subcommand("stats", "Counts of what the central holds (JSON)");
  bool verify = false;
  stats->add_flag("--verify-blobs", verify, "Re-hash every blob applications reference");
  stats->callback([&] {
    action = [&]() -> int {
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      auto s = (*c)->stats(verify);
      if (!s) return fail(s.error());
      std::cout << s->dump(2) << std::endl;
      return 0;
    };
  });

  auto* apps = app.add_subcommand("applications", "Every application the central holds (JSON)");
  apps->callback([&] {
    action = [&]() -> int {
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      auto s = (*c)->list_applications();
      if (!s) return fail(s.error());
      std::cout << s->dump(2) << std::endl;
      return 0;
    };
  });

  auto* terms = app.add_subcommand("terminals", "Enrolled terminals with their last heartbeat (JSON)");
  terms->callback([&] {
    action = [&]() -> int {
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      auto s = (*c)->list_terminals();
      if (!s) return fail(s.error());
      std::cout << s->dump(2) << std::endl;
      return 0;
    };
  });

  auto* clear = app.add_subcommand("clear-audit-break",
                                   "After looking into a terminal's broken audit chain: let it advance again "
                                   "(what was held from the break on is kept aside)");
  std::string clear_terminal, clear_operator, clear_note;
  clear->add_option("--terminal-id", clear_terminal, "Terminal id")->required();
  clear->add_option("--operator", clear_operator, "Who cleared it (recorded)")->required();
  clear->add_option("--note", clear_note, "Why (recorded)");
  clear->callback([&] {
    action = [&]() -> int {
      auto c = Central::open(opts);
      if (!c) return fail(c.error(), 4);
      auto r = (*c)->clear_audit_break(clear_terminal, clear_operator, clear_note);
      if (!r) return fail(r.error(), r.error().code == "not_found" ? 3 : 2);
      std::cout << r->dump(2) << std::endl;
      return 0;
    };
  });

  auto* proxy = app.add_subcommand("proxy", "A misbehaving TCP proxy for tests (loopback only)");
  std::string proxy_listen = "127.0.0.1:0", target = "127.0.0.1:8443";
  bianmin::sync::central::FaultPlan plan;
  int64_t rate_kbit = 0;
  proxy->add_option("--listen", proxy_listen, "HOST:PORT");
  proxy->add_option("--target", target, "HOST:PORT of the central")->required();
  proxy->add_option("--latency-ms", plan.latency_ms, "Delay before each forwarded chunk");
  proxy->add_option("--rate-kbit", rate_kbit, "Bandwidth per direction, kbit/s (shared by all connections)");
  proxy->add_option("--cut-at", plan.cut_after_bytes, "Cut every connection after N bytes");
  proxy->add_option("--cut-random", plan.cut_random_max, "Cut connections at a random byte count up to N");
  proxy->add_option("--cut-probability", plan.cut_probability, "Share of connections --cut-random applies to");
  proxy->add_option("--truncate-at", plan.truncate_down_at, "End every response after N bytes");
  proxy->callback([&] {
    action = [&]() -> int {
      plan.rate_bytes_per_s = rate_kbit * 1000 / 8;
      auto [thost, tport] = split_host_port(target);
      auto [lhost, lport] = split_host_port(proxy_listen);
      block_signals();
      bianmin::sync::central::FaultProxy p(thost, tport);
      p.set_plan(plan);
      auto port = p.start(lhost, lport);
      if (!port) return fail(port.error());
      std::printf("%d\n", *port);
      std::fflush(stdout);
      wait_for_signal();
      p.stop();
      const auto s = p.stats();
      std::fprintf(stderr, "connections %lld, cuts %lld, bytes up %lld, down %lld\n", static_cast<long long>(s.connections),
                   static_cast<long long>(s.cuts), static_cast<long long>(s.bytes_up), static_cast<long long>(s.bytes_down));
      return 0;
    };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  bianmin::log::Level level;
  if (bianmin::log::parse_level(log_level, &level)) bianmin::log::set_level(level);
  return action ? action() : 1;
}
