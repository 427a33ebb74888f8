// `bianmin kiosk`: the resident-facing terminal.
#pragma once

#include <optional>
#include <string>

#include "cli/runner.h"

namespace bianmin::ui {

struct KioskOptions {
  std::string role = "kiosk";  // kiosk: residents' self-service; counter: a window clerk's counter terminal
  bool sim = false;          // the whole terminal on this machine (sim_stack.h)
  std::optional<bool> landscape;  // 1920×1080 (the counter's default) or 1080×1920 (the kiosk's)
  bool window = false;       // a window even where full screen is possible
  bool fullscreen = false;   // full screen even under a window system
  bool cursor = false;       // show the mouse cursor (never on a touch device)
  // OpenGL flavour: "es" (OpenGL ES 3.0, what the device's GPU driver gives
  // under KMSDRM), "desktop" (OpenGL 3.0), or "auto": ES on KMSDRM, else desktop.
  std::string gl = "auto";
  float px_per_mm = 4.0f;    // the panel's density (21.5" 1080p: 4.0)
  int idle_timeout_s = 60, countdown_s = 15;
  std::string script, screenshot_dir;
  std::string assets_dir;    // default: the build's assets/ (or /usr/share/bianmin)
  std::string idcard, printer, camera, scanner;
  std::string document_scanner;  // sane:DEVICE (the counter's flatbed or sheet-fed scanner)
  std::string card = "idcard-resident.json";  // --sim: the card the simulated reader holds
  bool sim_unenrolled = false;  // --sim: a fresh terminal, for enrolment from service mode
  double exit_after_s = 0;   // benchmarks: leave after this long
  bool keep_compiler_pages = false;  // benchmarks: the GL compiler's pages stay mapped (as before issue 13)
  std::string stats_file;    // benchmarks: timings as JSON on exit
};

int run_kiosk(cli::Runner& runner, KioskOptions options);

}  // namespace bianmin::ui
