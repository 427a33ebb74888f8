#include "cli_kiosk.h"

#include <memory>

#include "kiosk.h"

namespace bianmin::ui {

void add_kiosk_command(CLI::App& app, cli::Runner& r) {
  auto* cmd = app.add_subcommand(
      "kiosk", "The terminal's screen (SDL2 + Dear ImGui): the residents' self-service kiosk, or with --role counter "
               "the window clerk's counter terminal");
  auto o = std::make_shared<KioskOptions>();
  cmd->add_option("--role", o->role,
                  "kiosk: residents' self-service (the default); counter: the window clerk's counter terminal "
                  "(clerk sign-in, queue tickets, applications accepted at the window)")
      ->check(CLI::IsMember({"kiosk", "counter"}));
  cmd->add_flag("--sim", o->sim,
                "Run the whole terminal on this machine: simulated ID-card reader, printer and scanner, the reference "
                "central and syncd as child processes, the simulated camera; a throw-away data directory unless "
                "--data-dir is given");
  cmd->add_flag("--landscape", [o](std::int64_t) { o->landscape = true; }, "1920x1080 (the counter's default)");
  cmd->add_flag("--portrait", [o](std::int64_t) { o->landscape = false; }, "1080x1920 (the kiosk's default)");
  cmd->add_flag("--window", o->window, "A window even where full screen is possible");
  cmd->add_flag("--fullscreen", o->fullscreen, "Full screen even under a window system");
  cmd->add_flag("--cursor", o->cursor, "Show the mouse cursor (developer machines; never on a touch device)");
  cmd->add_option("--gl", o->gl, "OpenGL flavour: auto (ES on KMSDRM, else desktop), es (OpenGL ES 3.0), desktop")
      ->check(CLI::IsMember({"auto", "es", "desktop"}));
  cmd->add_option("--px-per-mm", o->px_per_mm, "Panel density in pixels per millimetre (touch targets are >= 15 mm)")
      ->check(CLI::Range(1.0, 20.0));
  cmd->add_option("--idle-timeout", o->idle_timeout_s, "Seconds without a touch before the countdown (default 60)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--countdown", o->countdown_s, "Seconds of visible countdown before the session ends (default 15)")
      ->check(CLI::Range(1, 600));
  cmd->add_option("--idcard", o->idcard, "ID-card reader: serial:PATH[@BAUD] or usb[:VID:PID]");
  cmd->add_option("--printer", o->printer, "Receipt printer: usb, usb:VID:PID, dev:PATH, tcp:HOST:PORT, file:PATH");
  cmd->add_option("--camera", o->camera, "Document camera: v4l2:/dev/videoN or sim:PATH or sim:synth:SPEC");
  cmd->add_option("--scanner", o->scanner, "Code scanner: evdev:PATH, hidraw:PATH or serial:PATH[@BAUD]");
  cmd->add_option("--document-scanner", o->document_scanner,
                  "Document scanner through SANE for the materials: sane:DEVICE (e.g. sane:test:0); instead of the camera");
  cmd->add_option("--card", o->card, "With --sim: the card file under assets/sim the simulated reader holds");
  cmd->add_flag("--sim-unenrolled", o->sim_unenrolled,
                "With --sim: leave the terminal unenrolled, to enrol it from service mode (its QR is in the log; "
                "scripts write {enrol_qr})");
  cmd->add_option("--assets", o->assets_dir, "Directory of the assets (i18n/, catalog/, sim/)");
  cmd->add_option("--script", o->script, "Automation script (see ui/automation.h): touches by element id, waits, screenshots");
  cmd->add_option("--screenshot-dir", o->screenshot_dir, "Where the script's screenshots go");
  cmd->add_option("--exit-after", o->exit_after_s, "Leave after this many seconds (benchmarks)");
  cmd->add_flag("--keep-compiler-pages", o->keep_compiler_pages,
                "Benchmarks: leave the GL driver's shader compiler mapped at quiet moments (the behaviour before)");
  cmd->add_option("--stats", o->stats_file, "Write timings (first frame, CPU per frame) as JSON here on exit");
  cmd->footer(
      "Exit codes: 0 normal end, 1 usage, 3 an automation step failed (a screenshot NN-failed.png is saved),\n"
      "4 no display, no OpenGL, no CJK font or no store.");
  cli::on_run(cmd, r, [&r, o]() { return run_kiosk(r, *o); });
}

}  // namespace bianmin::ui
