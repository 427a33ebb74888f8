// What the shell knows about the terminal besides the session: the
// network as the sync daemon last saw it, the devices, the input method.
// Workers update it (through the loop); the status bar draws it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bianmin::ui {

struct DeviceStatus {
  std::optional<bool> online;             // unknown until syncd has probed
  std::string reader_state = "absent";   // ok, absent (from the reader service's events)
  std::string printer_state = "unknown";  // ok, paper_low, paper_out, cover_open, offline, error, absent, unknown
  std::string camera_state = "absent";    // ok, absent, busy
  std::string scanner_state = "absent";   // ok, absent
  bool document_scanner = false;          // materials come from a SANE scanner, not the camera
  int64_t pending = 0;                    // applications waiting for delivery
  int64_t delivered = 0;                  // applications the central has accepted
  bool ime_ready = false;
  std::string hall_name;
  std::string terminal_code;
  // The hall display: the number called last today and its window (排队叫号).
  std::string called_ticket, called_window;

  bool operator==(const DeviceStatus&) const = default;
};

// The camera's live preview as a texture (0 when there is none).
struct Preview {
  unsigned texture = 0;
  int width = 0, height = 0;
  bool live = false;
};

}  // namespace bianmin::ui
