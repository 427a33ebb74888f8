// Talking to one printer over a transport: asking its state (DLE EOT 1–4
// where the link is two-way, the port-status byte otherwise) and sending a
// job only when it can print, checking again afterwards, so that a slip
// lost to an empty roll is reported as not printed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "printer/status.h"
#include "printer/transport.h"

namespace bianmin::drivers::printer {

struct StatusReport {
  PrinterStatus status;
  std::string source;  // "dle_eot", "port_status", "none" (one-way: unknown), "link"
  std::optional<DeviceId> device;
  std::string link;
};

// Never fails: a printer that cannot be reached is state "absent".
StatusReport query_status(Transport& t, int answer_timeout_ms = 400);
StatusReport absent_report(const std::string& link, const Error& why);
// One look at the printer through a fresh link (`print status`, `diagnose`):
// a printer that was unplugged, switched off or whose cable was pulled
// shows as "absent".
StatusReport look_at(const PrinterAddress& addr, int open_timeout_ms = 2000, int answer_timeout_ms = 400);

// Checks, sends, checks again. Errors: "printer_<state>" (message from
// state_message()), or the transport's error.
Status print_job(Transport& t, std::string_view bytes, int answer_timeout_ms = 400);

}  // namespace bianmin::drivers::printer
