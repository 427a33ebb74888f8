// What one `bianmin print` command needs: the printer's profile from the
// command line, the font for raster lines, the opened link, and printing a
// document with the outcome mapped to exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

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

struct ProfileArgs {
  std::string printer;
  int width = 384;
  std::string font_set = "gb18030-2byte";
  bool no_native_qr = false;
  int qr_module = 0;
  std::string cut = "partial";
  bool json = false;

  void add_to(CLI::App* cmd, bool with_printer);
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
