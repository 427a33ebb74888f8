// Printer status from the bytes a printer sends back (devices.md §2.4,
// §2.5): DLE EOT answers, the Centronics port-status byte (USB
// GET_PORT_STATUS, LPGETSTATUS) and the IEEE 1284 device ID. Pure parsers
// of outside bytes: they reject what does not fit and never crash (fuzzed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bianmin::drivers::printer {

enum class PrinterState { ok, paper_low, paper_out, cover_open, offline, error, absent };
const char* state_key(PrinterState s);      // "paper_out"
const char* state_message(PrinterState s);  // "打印纸用完 / the printer is out of paper"
// States in which a slip cannot be printed now.
inline bool blocks_printing(PrinterState s) {
  return s != PrinterState::ok && s != PrinterState::paper_low;
}

// Answers to DLE EOT 1..4 (absent when not asked or not answered).
struct StatusBytes {
  std::optional<uint8_t> printer, offline_cause, error_cause, paper;
};

struct PrinterStatus {
  PrinterState state = PrinterState::ok;
  bool two_way = false;       // status was actually read from the printer
  std::vector<std::string> flags;  // every cause seen: "cover_open", "paper_near_end", …
};

// True when `b` can be a DLE EOT answer: bits 1 and 4 are always set.
bool valid_status_byte(uint8_t b);
// The answer to DLE EOT `n` among `reply` bytes: the last byte that can be
// one (a printer may still be sending earlier automatic-status bytes).
std::optional<uint8_t> find_status_byte(std::string_view reply);
// Interprets the answers. Error "status_invalid" when a present byte does
// not have the fixed bits, since then the link is not speaking DLE EOT.
Result<PrinterStatus> interpret_status(const StatusBytes& b);
// The Centronics status byte (0x20 paper empty, 0x10 selected, 0x08 no error).
PrinterStatus interpret_port_status(uint8_t b);

struct DeviceId {
  std::string manufacturer, model, command_set, description;
  std::string raw;
};
// The IEEE 1284 device ID as GET_DEVICE_ID returns it: a 2-byte length
// (big-endian by the standard, little-endian on some printers; the
// plausible one is taken) followed by "MFG:…;MDL:…;CMD:…;".
Result<DeviceId> parse_device_id(std::string_view reply);

}  // namespace bianmin::drivers::printer
