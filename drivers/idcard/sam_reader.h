// A session with the reader's SAM over any transport: one command, one
// response, with a deadline per command and retries on transient errors.
// Not thread-safe: one owner (the reader service's worker, or a CLI command).
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "domain/identity_card.h"
#include "idcard/protocol.h"
#include "idcard/transport.h"

namespace bianmin::drivers::idcard {

// Per-command deadlines. Defaults are the Synjones SDK's values
// (spec §1.11); serial lines add the wire time of the expected response at
// their rate, so 9600 bit/s still works.
struct CommandTimeouts {
  Millis reset{300};
  Millis status{300};
  Millis sam_id{300};
  Millis find{500};
  Millis select{500};
  Millis read{3500};
  Millis appended{1000};
  Millis config{300};  // set baud rate, set RF frame size
};

struct SamReaderOptions {
  CommandTimeouts timeouts;
  // Extra attempts after a transient failure: no answer, a damaged frame, or
  // the reader reporting that our frame arrived damaged (SW3 10/11).
  int retries = 2;
};

struct SamReaderStats {
  std::size_t commands = 0;
  std::size_t retries = 0;
  std::size_t damaged_frames = 0;   // bad checksum / impossible length
  std::size_t garbage_bytes = 0;    // skipped before a preamble
  std::size_t bytes_sent = 0;
  std::size_t bytes_received = 0;
};

class SamReader {
 public:
  explicit SamReader(Transport& transport, SamReaderOptions options = {});

  // The transient error codes that make a command be sent again.
  static bool is_transient(const Error& e);

  // Sends `frame` once and waits up to `timeout` for one response frame.
  // Errors: reader_not_answering (nothing came), frame_checksum,
  // frame_length, frame_incomplete, or the transport's error.
  Result<Response> exchange(std::span<const uint8_t> frame, Millis timeout);
  // exchange() with retries; `what` names the command in errors.
  Result<Response> transact(std::span<const uint8_t> frame, Millis timeout, std::string_view what,
                            int retries);

  Status reset_sam();
  Status status_check();
  // The 16-byte SAM module number.
  Result<Bytes> sam_id();
  // true: a card is in the field (9F); false: none (80).
  Result<bool> find_card();
  Status select_card();
  // 30 01 (or 30 10 with the fingerprint block).
  Result<domain::IdentityCard> read_base_info(bool with_fingerprint = false);
  // nullopt when the card has none (SW3 91). Sent once, without retries: it
  // is optional, and some readers do not know it.
  Result<std::optional<std::string>> read_appended_address();
  Status set_uart_baud(int baud);
  Status set_rf_frame_size(uint8_t max_bytes);

  // After find_card() returned true: select, read, and (for cards with an
  // address) the appended address when the reader has one.
  Result<domain::IdentityCard> read_card(bool with_fingerprint = false);

  const SamReaderStats& stats() const { return stats_; }
  Transport& transport() { return transport_; }

 private:
  Result<Response> command(Command c, std::span<const uint8_t> frame, Millis timeout,
                           std::size_t expected_response_bytes);
  Millis with_wire_time(Millis timeout, std::size_t bytes) const;

  Transport& transport_;
  SamReaderOptions options_;
  ResponseParser parser_;
  SamReaderStats stats_;
};

// Exit code of `bianmin idcard …` for an error: 4 reader not found / not
// answering, 5 protocol or card error.
int exit_code_for(const Error& e);

}  // namespace bianmin::drivers::idcard
