// One look at an ID-card reader through a fresh link: is it there, does its
// SAM answer, which SAM is it, is a card on it. What `bianmin idcard status`
// prints and what `bianmin diagnose` checks.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "idcard/sam_reader.h"
#include "idcard/transport.h"

namespace bianmin::drivers::idcard {

struct ReaderProbe {
  std::string transport;           // the opened link, described; empty when it did not open
  std::string reader = "absent";   // "ready", "not_answering", "error", "absent"
  std::optional<std::string> sam_status;  // "success", else the status's error code
  std::optional<std::string> sam_id;      // 16 bytes, upper-case hex
  std::optional<bool> card_present;
  std::optional<Error> error;      // why the reader is not ready
  // `bianmin idcard status`'s exit code: 0 ready, 4 absent or not
  // answering, 5 protocol error.
  int exit_code = 0;
};

// Parses a device address (serial:PATH[@BAUD], usb[:VID:PID…]) and opens it.
Result<std::unique_ptr<Transport>> open_reader(const std::string& device);

// Never fails: what went wrong is in the probe.
ReaderProbe probe_reader(const std::string& device, SamReaderOptions options = {});

}  // namespace bianmin::drivers::idcard
