// bianmin sim scanner --kind evdev|hidraw|serial [--hid-mode pos|keyboard] [--suffix cr]
//                     [--path PATH] [--code TEXT]… [--aim ]Q1] [--no-enter]
//
// Prints the --scanner argument for `bianmin scan code` on the first line,
// sends the --code codes, then reads control lines on stdin until quit or a
// signal: "scan TEXT", "unplug", "quit".
#include "scanner/cli_scanner.h"

#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "base/signals.h"
#include "scanner/sim_scanner.h"

namespace bianmin::drivers {
namespace {

using namespace scanner;

struct SimArgs {
  std::string kind = "evdev", hid_mode = "pos", suffix = "cr", path, aim = "]Q1";
  std::vector<std::string> codes;
  bool no_enter = false, no_uinput = false;
};

int run_sim(const SimArgs& a) {
  SimScannerOptions o;
  if (a.kind == "evdev") o.kind = ScannerSpec::Kind::evdev;
  else if (a.kind == "hidraw") o.kind = ScannerSpec::Kind::hidraw;
  else if (a.kind == "serial") o.kind = ScannerSpec::Kind::serial;
  else return std::fprintf(stderr, "bianmin: --kind must be evdev, hidraw or serial\n"), 1;
  auto sfx = Suffix::parse(a.suffix);
  if (!sfx) return std::fprintf(stderr, "bianmin: %s\n", sfx.error().message.c_str()), 1;
  o.suffix = *sfx;
  o.hid_keyboard = a.hid_mode == "keyboard";
  o.enter = !a.no_enter;
  o.path = a.path;
  o.try_uinput = !a.no_uinput;
  auto sim = SimScanner::create(o);
  if (!sim) return std::fprintf(stderr, "bianmin: sim scanner: %s\n", sim.error().message.c_str()), 4;
  std::printf("%s\n", (*sim)->spec().c_str());
  std::fflush(stdout);
  for (const auto& c : a.codes)
    if (Status st = (*sim)->scan(c, a.aim); !st) return std::fprintf(stderr, "bianmin: %s\n", st.error().message.c_str()), 4;

  const int sfd = termination_signalfd();
  std::string line;
  bool stdin_open = true;
  for (;;) {
    pollfd p[2] = {{sfd, POLLIN, 0}, {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) continue;
    if (p[0].revents) break;
    if (!(p[1].revents & (POLLIN | POLLHUP))) continue;
    char buf[4096];
    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) {
      stdin_open = false;  // keep the device until a signal
      continue;
    }
    line.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    bool quit = false;
    while ((nl = line.find('\n')) != std::string::npos) {
      std::string cmd = line.substr(0, nl);
      line.erase(0, nl + 1);
      if (!cmd.empty() && cmd.back() == '\r') cmd.pop_back();
      if (cmd.rfind("scan ", 0) == 0) {
        Status st = (*sim)->scan(cmd.substr(5), a.aim);
        std::printf("%s\n", st ? "ok" : ("error " + st.error().message).c_str());
      } else if (cmd == "unplug") {
        (*sim)->unplug();
        std::printf("ok\n");
      } else if (cmd == "quit") {
        quit = true;
        break;
      } else if (!cmd.empty()) {
        std::printf("error unknown command (scan TEXT, unplug, quit)\n");
      }
      std::fflush(stdout);
    }
    if (quit) break;
  }
  if (sfd >= 0) ::close(sfd);
  return 0;
}

}  // namespace

void add_scanner_commands(CLI::App& app, cli::Runner& r) {
  auto found = app.get_subcommands([](CLI::App* a) { return a->get_name() == "sim"; });
  CLI::App* sim = found.empty() ? app.add_subcommand("sim", "Byte-level device simulators") : found.front();
  if (found.empty()) sim->require_subcommand(1);
  auto* s = sim->add_subcommand("scanner", "Simulate a code scanner (keyboard wedge, HID POS, serial)");
  auto a = std::make_shared<SimArgs>();
  s->add_option("--kind", a->kind, "evdev (keyboard wedge; uinput when available, else a FIFO), hidraw, serial (pty)");
  s->add_option("--hid-mode", a->hid_mode, "hidraw: pos (usage page 0x8C, default) or keyboard");
  s->add_option("--suffix", a->suffix, "serial: cr (default), lf, crlf, tab, none, 0xNN");
  s->add_option("--path", a->path, "Create the FIFO (evdev/hidraw) or a symlink to the pty (serial) here");
  s->add_option("--code", a->codes, "A code to send at start (repeatable)");
  s->add_option("--aim", a->aim, "hidraw pos: AIM symbology identifier sent with codes (default ]Q1)");
  s->add_flag("--no-enter", a->no_enter, "Keyboard personalities: no Enter after a code (ends by the inter-key gap)");
  s->add_flag("--no-uinput", a->no_uinput, "evdev: use a FIFO even when /dev/uinput exists");
  s->footer("Prints the --scanner argument for `bianmin scan code` first, then serves until quit or a signal.\n"
            "Control lines on stdin: scan TEXT | unplug | quit");
  cli::on_run(s, r, [a] { return run_sim(*a); });
}

}  // namespace bianmin::drivers
