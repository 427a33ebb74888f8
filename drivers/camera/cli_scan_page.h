// `bianmin scan page`: one page from the document camera (found, straightened,
// cleaned up, encoded to the size budget), or pages from a SANE document
// scanner through the same clean-up and budget; written to files and/or
// stored as the next page of a queued application's material.
#pragma once

#include <string>
#include <vector>

#include "cli/runner.h"

namespace bianmin::drivers {

struct PageArgs {
  std::string camera, out, thumb, material, client_id, enhance = "auto";
  int max_dpi = 200;
  int budget_kb = 300;
  double desk_width_mm = 500;
  int rotate = 0;
  bool json = false;
  // A document scanner (SANE) instead of the camera; 0 / "" = not given.
  std::string sane, scan_mode;
  std::vector<std::string> sane_options;
  bool adf = false;
  int pages = 0, scan_dpi = 0;
};

// The exit code (cli_scan_exits.h).
int run_scan_page(cli::Runner& r, PageArgs a);

}  // namespace bianmin::drivers
