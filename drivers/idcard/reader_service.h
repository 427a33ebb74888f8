// The ID-card reader as the kiosk uses it: a worker thread that keeps the
// reader open (re-opening it after an unplug), polls for a card, reads each
// placement once, notices when the card is lifted, and reports all of it as
// domain::IdCardEvent to a sink (usually a domain::IdCardEventQueue that the
// session state machine drains). Callers never wait on the reader.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "domain/identity_card.h"
#include "idcard/sam_reader.h"
#include "idcard/transport.h"

namespace bianmin::drivers::idcard {

struct ReaderServiceOptions {
  Millis poll_interval{300};      // find-card while no card is on the reader
  Millis presence_interval{500};  // checks while a read card lies on the reader
  Millis reopen_interval{2000};   // attempts to open an absent reader
  SamReaderOptions sam;
  bool with_fingerprint = false;  // read 30 10 instead of 30 01
};

class ReaderService {
 public:
  ReaderService(std::unique_ptr<Transport> transport, domain::IdCardEventSink& sink,
                ReaderServiceOptions options = {});
  ~ReaderService();
  ReaderService(const ReaderService&) = delete;
  ReaderService& operator=(const ReaderService&) = delete;

  // Starts the worker and returns at once.
  void start();
  // Asks the worker to stop and joins it; it stops after the command in
  // flight (at most one command timeout).
  void stop();
  bool running() const { return worker_.joinable(); }
  // Which reader ("serial:/dev/ttyUSB0@115200", "usb:0400:c35a bus 1 dev 4 …").
  std::string reader() const;

 private:
  enum class CardState { none, read, failed };
  void run();
  bool wait(Millis d);  // false when asked to stop
  void emit(domain::IdCardEventKind kind, std::optional<domain::IdentityCard> card = {}, const Error* err = nullptr);
  bool ensure_reader();
  void reader_lost(const Error& e);
  void poll_for_card();
  void check_presence();
  bool handle_read(Result<domain::IdentityCard> r);
  static std::string digest(const domain::IdentityCard& c);

  std::unique_ptr<Transport> transport_;
  domain::IdCardEventSink& sink_;
  ReaderServiceOptions options_;
  SamReader sam_;
  std::string label_;  // guarded by mu_ (the worker updates it on reopen)
  std::thread worker_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  // Worker state.
  std::optional<bool> reader_ok_;  // unknown until the first attempt
  CardState card_state_ = CardState::none;
  std::string card_digest_;        // sha256 of the card that was read, never the data itself
  bool appended_unsupported_ = false;
};

}  // namespace bianmin::drivers::idcard
