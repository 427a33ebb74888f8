// `bianmin scan code`: one QR code or barcode from the camera or a code
// scanner, told apart as a receipt, a URL or other text (domain/code_payload.h).
#pragma once

#include <string>

#include "cli/runner.h"

namespace bianmin::drivers {

struct CodeArgs {
  std::string camera, scanner, formats = "QRCode,EAN-13,EAN-8,Code128", suffix = "cr";
  double timeout = 30;
  double key_timeout_ms = 100;
  bool json = false;
};

// The exit code (cli_scan_exits.h).
int run_scan_code(cli::Runner& r, CodeArgs a);

}  // namespace bianmin::drivers
