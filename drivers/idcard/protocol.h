// The host interface of the ID-card reader's secure module (SAM_V, GA/T 467):
// command frames, response frames and the SW3 status table
// (../shared/spec/devices.md §1.2–1.4). Pure: bytes in, values out, no I/O.
//
//   command : AA AA AA 96 69 | Len(BE) | CMD Para Data… | CHK
//   response: AA AA AA 96 69 | Len(BE) | SW1 SW2 SW3 Data… | CHK
// Len counts every byte after itself, CHK included; CHK is the XOR of Len1
// up to the last data byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"

namespace bianmin::drivers::idcard {

using Bytes = std::vector<uint8_t>;

inline constexpr uint8_t kPreamble[5] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
inline constexpr std::size_t kHeaderSize = 7;  // preamble + Len1 Len2

// The commands of the issue (CMD, Para); set_uart_baud and set_rf_frame_size
// carry their value in Para / one data byte.
enum class Command {
  reset_sam,                 // 10 FF
  sam_status,                // 11 FF
  read_sam_id,               // 12 FF  (SAM management info: 16-byte module number)
  find_card,                 // 20 01  (success SW3 9F)
  select_card,               // 20 02
  read_base_info,            // 30 01  (text + photo)
  read_appended_address,     // 30 03
  read_with_fingerprint,     // 30 10  (text + photo + fingerprint)
  set_uart_baud,             // 60 00..04
  set_rf_frame_size,         // 61 FF nn
};

struct CommandCode {
  uint8_t cmd = 0;
  uint8_t para = 0;
};
CommandCode command_code(Command c);
const char* command_name(Command c);
// The command a (CMD, Para) pair stands for; set_uart_baud matches any Para.
std::optional<Command> command_from_code(uint8_t cmd, uint8_t para);

uint8_t xor_checksum(std::span<const uint8_t> bytes);

// A whole command frame: preamble, length, CMD, Para, data, checksum.
Bytes build_frame(uint8_t cmd, uint8_t para, std::span<const uint8_t> data = {});
Bytes build_command(Command c);
// Para for 60 xx: 115200→00, 57600→01, 38400→02, 19200→03, 9600→04.
std::optional<uint8_t> baud_para(int baud);
std::optional<int> baud_of_para(uint8_t para);
Result<Bytes> build_set_uart_baud(int baud);
Bytes build_set_rf_frame_size(uint8_t max_bytes);

// A whole response frame (what a reader or the simulator sends).
Bytes build_response(uint8_t sw3, std::span<const uint8_t> data = {}, uint8_t sw1 = 0, uint8_t sw2 = 0);

// ---- SW3, the reader's own status (§1.4) ----------------------------------
namespace sw3 {
inline constexpr uint8_t kSuccess = 0x90;
inline constexpr uint8_t kNoContent = 0x91;
inline constexpr uint8_t kFindOk = 0x9F;
inline constexpr uint8_t kHostChecksum = 0x10;
inline constexpr uint8_t kHostLength = 0x11;
inline constexpr uint8_t kCommandError = 0x21;
inline constexpr uint8_t kUnauthorised = 0x23;
inline constexpr uint8_t kUnrecognised = 0x24;
inline constexpr uint8_t kCardAuthSam = 0x31;
inline constexpr uint8_t kSamAuthCard = 0x32;
inline constexpr uint8_t kInfoVerify = 0x33;
inline constexpr uint8_t kUnknownCardType = 0x40;
inline constexpr uint8_t kReadFailed = 0x41;
inline constexpr uint8_t kRandomFailed = 0x47;
inline constexpr uint8_t kSelfTestFailed = 0x60;
inline constexpr uint8_t kSamNotAuthorised = 0x66;
inline constexpr uint8_t kFindFailed = 0x80;
inline constexpr uint8_t kSelectFailed = 0x81;
}  // namespace sw3

struct StatusInfo {
  uint8_t sw3;
  const char* code;  // stable snake_case name ("read_card_failed")
  const char* zh;
  const char* en;
};
// Every status of the table; unknown values get code "unknown_status".
const StatusInfo& status_info(uint8_t sw3);
const std::vector<StatusInfo>& all_statuses();
bool is_success(uint8_t sw3);  // 90, 91 (no content) or 9F
// The error for a non-success status: code "sam_<name>", message naming
// the hex value and the meaning, e.g.
// "reader status 0x41 read_card_failed: 读证/卡操作失败 (read card operation failed)".
Error status_error(uint8_t sw3, uint8_t sw1 = 0, uint8_t sw2 = 0);

// ---- Frames ----------------------------------------------------------------
struct Response {
  uint8_t sw1 = 0, sw2 = 0, sw3 = 0;
  Bytes data;
};

struct CommandFrame {
  uint8_t cmd = 0, para = 0;
  Bytes data;
};

// Streaming frame reader: feed bytes as they arrive, in any chunking; take
// complete frames or errors out. Garbage before a preamble is skipped (and
// counted). A frame with a bad checksum or an impossible length is reported
// as an error and the parser resynchronises on the next preamble after its
// first byte, so a real frame hidden inside a damaged one is still found.
class FrameParser {
 public:
  // min_len: smallest valid Len (3 for commands: CMD Para CHK; 4 for
  // responses: SW1 SW2 SW3 CHK). max_len: the largest the caller accepts.
  FrameParser(std::size_t min_len, std::size_t max_len) : min_len_(min_len), max_len_(max_len) {}

  void feed(std::span<const uint8_t> bytes);
  // The body (bytes after Len up to, not including, CHK) of the next
  // complete frame, an error (code "frame_checksum" or "frame_length"), or
  // nullopt when more bytes are needed.
  std::optional<Result<Bytes>> next();
  void reset();
  // Bytes skipped while looking for a preamble, since construction/reset.
  std::size_t garbage_skipped() const { return skipped_; }
  // Bytes held that do not yet form a frame.
  std::size_t buffered() const { return buf_.size() - pos_; }
  // True once a preamble has been seen and the frame is still incomplete.
  bool in_frame() const;

 private:
  void compact();
  std::size_t min_len_, max_len_;
  Bytes buf_;
  std::size_t pos_ = 0;
  std::size_t skipped_ = 0;
};

// Largest response Len we accept: base info with fingerprint is 2314
// (§1.5); anything beyond 4096 is taken as line noise.
inline constexpr std::size_t kMaxResponseLen = 4096;
inline constexpr std::size_t kMaxCommandLen = 64;

class ResponseParser {
 public:
  ResponseParser() : frames_(4, kMaxResponseLen) {}
  void feed(std::span<const uint8_t> bytes) { frames_.feed(bytes); }
  std::optional<Result<Response>> next();
  void reset() { frames_.reset(); }
  std::size_t garbage_skipped() const { return frames_.garbage_skipped(); }
  bool in_frame() const { return frames_.in_frame(); }

 private:
  FrameParser frames_;
};

class CommandParser {
 public:
  CommandParser() : frames_(3, kMaxCommandLen) {}
  void feed(std::span<const uint8_t> bytes) { frames_.feed(bytes); }
  std::optional<Result<CommandFrame>> next();
  void reset() { frames_.reset(); }

 private:
  FrameParser frames_;
};

}  // namespace bianmin::drivers::idcard
