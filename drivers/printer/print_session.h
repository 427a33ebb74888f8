// What one `bianmin print` command needs: the printer's profile from the
// command line, the font for raster lines, the opened link, and printing a
// document with the outcome mapped to exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "config/config.h"
#include "printer/document.h"
#include "printer/glyphs.h"
#include "printer/printer.h"
#include "printer/transport.h"

namespace bianmin::drivers::printer {

// Device exit codes (after the core's 0–5).
enum PrintExit : int {
  kPrinterNotReady = 6,    // paper out, cover open, offline, error: the slip is kept
  kPrinterUnreachable = 7, // no such printer, unplugged, I/O error
};

// The printer and its profile from the command line; what is not given comes
// from the configuration (devices.printer, printer.width_dots,
// printer.font_set, printer.native_qr): resolve() before open().
struct ProfileArgs {
  std::string printer;
  int width = 0;             // 0: printer.width_dots
  std::string font_set;      // "": printer.font_set
  bool no_native_qr = false; // or printer.native_qr = false
  int qr_module = 0;
  std::string cut = "partial";
  bool json = false;

  void add_to(CLI::App* cmd, bool with_printer);
  // Fills what the command line left open from the configuration; a
  // "usage" error when no printer is named anywhere (and one is needed).
  Status resolve(const bianmin::config::Config& cfg, bool with_printer);
  Result<Profile> profile() const;
};

class PrintSession {
 public:
  static Result<std::unique_ptr<PrintSession>> open(const ProfileArgs& args);
  Result<std::string> encode(const Document& d);
  Status print(const std::string& bytes);
  Transport& link() { return *link_; }
  const Profile& profile() const { return profile_; }
  GlyphRenderer* glyphs() { return glyphs_.get(); }

 private:
  Profile profile_;
  std::unique_ptr<GlyphRenderer> glyphs_;
  std::unique_ptr<Transport> link_;
};

// Exit code of a print failure.
int print_exit_for(const Error& e);

}  // namespace bianmin::drivers::printer
