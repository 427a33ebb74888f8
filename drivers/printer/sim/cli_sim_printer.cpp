#include "printer/sim/cli_sim_printer.h"

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include "printer/sim/sim_printer.h"

namespace bianmin::drivers::printer {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

}  // namespace

void add_sim_printer_command(CLI::App& app, bianmin::cli::Runner& r) {
  auto found = app.get_subcommands([](CLI::App* a) { return a->get_name() == "sim"; });
  CLI::App* sim = found.empty() ? app.add_subcommand("sim", "Simulated devices for tests and the demo") : found.front();
  sim->require_subcommand(1);
  auto* cmd = sim->add_subcommand("printer", "A simulated ESC/POS printer on loopback TCP");
  auto listen = std::make_shared<std::string>("127.0.0.1:0");
  auto state = std::make_shared<std::string>("ok");
  auto record = std::make_shared<std::string>();
  auto paper = std::make_shared<std::string>();
  cmd->add_option("--listen", *listen, "HOST:PORT to listen on (port 0: any free port)");
  cmd->add_option("--state", *state, "Initial state: ok, paper_low, paper_out, cover_open, offline, error")
      ->check(CLI::IsMember({"ok", "paper_low", "paper_out", "cover_open", "offline", "error"}));
  cmd->add_option("--record", *record, "Append every byte received to this file");
  cmd->add_option("--paper", *paper, "Append the bytes actually printed to this file (render it with print render)");
  cmd->footer("Prints its PRINTER address (tcp:127.0.0.1:PORT) on the first line of stdout. Control on stdin,\n"
              "one command a line: `state paper_out` (or any state above), `status`, `quit`.\n"
              "Runs until quit, SIGINT or SIGTERM.");
  on_run(cmd, r, [listen, state, record, paper]() -> int {
    const auto colon = listen->rfind(':');
    if (colon == std::string::npos) return bianmin::cli::Runner::fail(make_error("usage", "--listen HOST:PORT"), 1);
    int port = 0;
    try {
      port = std::stoi(listen->substr(colon + 1));
    } catch (...) {
      port = -1;
    }
    if (port < 0 || port > 65535) return bianmin::cli::Runner::fail(make_error("usage", "bad port in --listen"), 1);
    auto sim_printer = SimPrinter::start(listen->substr(0, colon), static_cast<uint16_t>(port));
    if (!sim_printer) return bianmin::cli::Runner::fail(sim_printer.error(), 4);
    SimPrinter& p = **sim_printer;
    p.set_state(*parse_state(*state));
    if (!record->empty()) p.record_to(*record);
    if (!paper->empty()) p.paper_to(*paper);
    std::printf("%s\n", p.address().c_str());
    std::fflush(stdout);
    // No SA_RESTART: a signal must end the blocking read of stdin.
    struct sigaction sa{};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::string line;
    while (!g_stop) {
      if (!std::getline(std::cin, line)) {
        // No controller (stdin closed): keep serving until a signal.
        while (!g_stop) ::pause();
        break;
      }
      if (line == "quit" || line == "exit") break;
      if (line == "status") {
        std::printf("state %s, %zu bytes received, %zu printed, %d status queries\n", state_key(p.state()),
                    p.received().size(), p.printed().size(), p.status_queries());
      } else if (line.rfind("state ", 0) == 0) {
        if (auto s = parse_state(line.substr(6))) {
          p.set_state(*s);
          std::printf("state %s\n", state_key(*s));
        } else {
          std::printf("unknown state: %s\n", line.substr(6).c_str());
        }
      } else if (!line.empty()) {
        std::printf("commands: state <ok|paper_low|paper_out|cover_open|offline|error>, status, quit\n");
      }
      std::fflush(stdout);
    }
    p.stop();
    return 0;
  });
}

}  // namespace bianmin::drivers::printer
