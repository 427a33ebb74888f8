// The byte-level behaviour of a SAM_V reader, for the simulator: host frames
// in, response frames out, exactly as devices.md §1 describes them, plus the
// faults a test or a technician asks for. Pure (no I/O, no clock): the pty
// runner (sim_pty.h) does the timing.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "idcard/protocol.h"
#include "idcard/sim_card.h"
#include "idcard/transport.h"

namespace bianmin::drivers::idcard {

// One response as it should go on the wire.
struct SimReply {
  Bytes bytes;
  Millis delay{0};        // before the first byte
  std::size_t split = 0;  // write in pieces of this many bytes (0: at once)
  std::chrono::microseconds split_gap{0};  // between pieces
};

class SimEngine {
 public:
  SimEngine();

  // Bytes from the host; returns the replies to every complete command.
  std::vector<SimReply> feed(std::span<const uint8_t> bytes);

  // One control line (see control_help()); returns the text to answer with
  // ("ok …") or an error. Paths are read relative to the current directory.
  Result<std::string> control(std::string_view line);
  static const char* control_help();

  void load(CardImage card) { card_ = std::move(card); }
  void place();
  void remove();
  bool card_placed() const { return placed_; }
  std::size_t commands_seen() const { return commands_; }

 private:
  enum class Session { idle, found, selected, read };
  struct StatusOverride {
    std::optional<uint8_t> cmd;
    std::optional<uint8_t> para;
    uint8_t sw3;
    int count;
  };
  SimReply answer(const CommandFrame& c);
  SimReply respond(uint8_t sw3, std::span<const uint8_t> data = {});
  std::string info() const;

  std::optional<CardImage> card_;
  bool placed_ = false;
  Session session_ = Session::idle;
  bool refind_ = true;
  int baud_ = 115200;
  uint8_t rf_frame_ = 0x50;
  Bytes sam_id_;
  CommandParser parser_;
  std::size_t commands_ = 0;
  // Faults.
  Millis delay_{0};
  int delay_count_ = -1;  // -1: every reply
  std::size_t split_ = 0;
  Millis split_gap_{1};
  int pace_baud_ = 0;  // >0: replies leave at the wire rate of a UART at this speed
  Bytes garbage_;
  int corrupt_ = 0;
  int silent_ = 0;
  std::deque<StatusOverride> overrides_;
  enum class Lift { none, error, truncate } lift_ = Lift::none;
};

}  // namespace bianmin::drivers::idcard
