// bianmin idcard read --device serial:PATH[@BAUD] | usb[:VID:PID] [--timeout S] [--json]
// bianmin idcard status --device … [--json]
// bianmin sim idcard [--card FILE] [--link PATH] [--control-socket PATH] [--do LINE]…
//
// Exit codes of the idcard commands (issue 3): 0 read, 3 no card before the
// timeout, 4 reader not found or not answering, 5 protocol or card error
// (the message names the status).
#include "idcard/cli_idcard.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <thread>

#include "base/bytes.h"
#include "base/signals.h"
#include "idcard/card_json.h"
#include "idcard/reader_probe.h"
#include "idcard/sam_reader.h"
#include "idcard/sim_pty.h"

namespace bianmin::drivers {
namespace {

using json = nlohmann::json;
using namespace idcard;

constexpr int kRead = 0, kNoCard = 3, kReaderAbsent = 4, kProtocol = 5;

int fail_with(const Error& e, int code) {
  std::fprintf(stderr, "bianmin: idcard: %s [%s]\n", e.message.c_str(), e.code.c_str());
  return code;
}

void print_card_text(const domain::IdentityCard& c) {
  const json j = card_to_json(c);
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string v = it->is_string() ? it->get<std::string>() : it->dump();
    std::printf("%-22s %s\n", it.key().c_str(), v.c_str());
  }
}

int run_read(const std::string& device, double timeout_s, bool as_json) {
  auto t = open_reader(device);
  if (!t) return fail_with(t.error(), kReaderAbsent);
  SamReader sam(**t);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<long long>(std::llround(timeout_s * 1000)));
  for (;;) {
    auto found = sam.find_card();
    if (!found) return fail_with(found.error(), exit_code_for(found.error()));
    if (*found) {
      auto card = sam.read_card();
      if (!card) return fail_with(card.error(), exit_code_for(card.error()));
      if (as_json) cli::print_json(card_to_json(*card));
      else print_card_text(*card);
      card->wipe();
      return kRead;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "no card on the reader within %g s", timeout_s);
      return fail_with(make_error("no_card", buf), kNoCard);
    }
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(200),
                                                                              deadline - now));
  }
}

int run_status(const std::string& device, bool as_json) {
  json j{{"device", device}, {"transport", nullptr}, {"reader", "absent"}, {"sam_status", nullptr},
         {"sam_id", nullptr}, {"card_present", nullptr}, {"error", nullptr}};
  auto finish = [&](int code) {
    if (as_json) cli::print_json(j);
    else
      std::printf("reader: %s\ntransport: %s\nSAM status: %s\nSAM ID: %s\ncard present: %s\n%s",
                  j["reader"].get<std::string>().c_str(), j["transport"].is_null() ? "-" : j["transport"].get<std::string>().c_str(),
                  j["sam_status"].is_null() ? "-" : j["sam_status"].get<std::string>().c_str(),
                  j["sam_id"].is_null() ? "-" : j["sam_id"].get<std::string>().c_str(),
                  j["card_present"].is_null() ? "-" : (j["card_present"].get<bool>() ? "yes" : "no"),
                  j["error"].is_null() ? "" : ("error: " + j["error"].get<std::string>() + "\n").c_str());
    return code;
  };
  const ReaderProbe p = probe_reader(device);
  if (!p.transport.empty()) j["transport"] = p.transport;
  j["reader"] = p.reader;
  if (p.sam_status) j["sam_status"] = *p.sam_status;
  if (p.sam_id) j["sam_id"] = *p.sam_id;
  if (p.card_present) j["card_present"] = *p.card_present;
  if (p.error) j["error"] = p.error->message;
  return finish(p.exit_code);
}

int run_sim(const std::string& card, bool removed, const SimPtyOptions& opts, const std::vector<std::string>& dos) {
  auto sim = SimPty::open(opts);
  if (!sim) return fail_with(sim.error(), 1);
  if (!card.empty()) {
    auto r = (*sim)->control((removed ? "load " : "place ") + card);
    if (!r) return fail_with(r.error(), 2);
  }
  for (const auto& line : dos) {
    auto r = (*sim)->control(line);
    if (!r) return fail_with(r.error(), 1);
  }
  std::printf("%s\n", (*sim)->path().c_str());
  std::fflush(stdout);
  const int sfd = termination_signalfd();
  (*sim)->run(STDIN_FILENO, STDOUT_FILENO, sfd);
  if (sfd >= 0) ::close(sfd);
  return 0;
}

CLI::App* group(CLI::App& app, const std::string& name, const std::string& help) {
  auto found = app.get_subcommands([&](CLI::App* a) { return a->get_name() == name; });
  if (!found.empty()) return found.front();
  auto* g = app.add_subcommand(name, help);
  g->require_subcommand(1);
  return g;
}

constexpr const char* kExitCodes =
    "Exit codes: 0 card read, 3 no card before the timeout, 4 reader not found or not answering,\n"
    "5 protocol or card error (the message names the reader status).";

}  // namespace

void add_idcard_commands(CLI::App& app, cli::Runner& r) {
  auto* idc = group(app, "idcard", "The ID-card reader (GA 467 SAM_V): read a card, check the reader");
  const std::string device_help =
      "serial:PATH[@BAUD] (default 115200) or usb[:VID:PID[,VID:PID…]] (default 0400:c35a,0316:5020)";

  auto* read = idc->add_subcommand("read", "Wait for a card, read it, print it");
  auto device = std::make_shared<std::string>();
  auto timeout = std::make_shared<double>(30.0);
  auto as_json = std::make_shared<bool>(false);
  read->add_option("--device", *device, device_help + "; default: devices.idcard");
  read->add_option("--timeout", *timeout, "Seconds to wait for a card (default 30)")->check(CLI::NonNegativeNumber);
  read->add_flag("--json", *as_json, "Print one JSON object");
  read->footer(kExitCodes);
  cli::on_run(read, r, [&r, device, timeout, as_json] {
    auto d = r.device(*device, "idcard", "--device");
    return d ? run_read(*d, *timeout, *as_json) : fail_with(d.error(), cli::kUsage);
  });

  auto* status = idc->add_subcommand("status", "Report the reader's state and its SAM ID");
  auto sdevice = std::make_shared<std::string>();
  auto sjson = std::make_shared<bool>(false);
  status->add_option("--device", *sdevice, device_help + "; default: devices.idcard");
  status->add_flag("--json", *sjson, "Print one JSON object");
  status->footer("Exit codes: 0 reader ready, 4 reader not found or not answering, 5 protocol error.");
  cli::on_run(status, r, [&r, sdevice, sjson] {
    auto d = r.device(*sdevice, "idcard", "--device");
    return d ? run_status(*d, *sjson) : fail_with(d.error(), cli::kUsage);
  });

  auto* sim = group(app, "sim", "Byte-level device simulators on ptys (tests, simulated kiosk, technicians)");
  auto* s = sim->add_subcommand("idcard", "Simulate a SAM_V ID-card reader on a pty");
  auto card = std::make_shared<std::string>();
  auto removed = std::make_shared<bool>(false);
  auto opts = std::make_shared<SimPtyOptions>();
  auto dos = std::make_shared<std::vector<std::string>>();
  s->add_option("--card", *card,
                "Card to hold: a JSON description (assets/sim/idcard-*.json) or a raw 256-byte text block "
                "(optionally followed by the photo); placed at start");
  s->add_flag("--removed", *removed, "Hold the card but start with the reader empty");
  s->add_option("--link", opts->link, "Also create this symlink to the pty");
  s->add_option("--control-socket", opts->control_socket, "Also accept control lines on this Unix socket");
  s->add_option("--do", *dos, "Run a control line at start (repeatable), e.g. --do 'refind off'");
  s->footer(std::string("Prints the pty path as the first line on stdout, then serves until quit or a signal.\n\n") +
            SimEngine::control_help());
  cli::on_run(s, r, [card, removed, opts, dos] { return run_sim(*card, *removed, *opts, *dos); });
}

}  // namespace bianmin::drivers
