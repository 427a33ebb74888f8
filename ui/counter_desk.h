// The counter's own workers: what only the clerk's session asks for —
// checking a clerk's PIN (scrypt: about 0.1 s, never on the render thread)
// on one; calling the next ticket, closing tickets, and keeping the waiting
// line of this window's service lines fresh on the other, through the
// hall's queue (which may be another terminal's, across the LAN: a keeper
// that does not answer must not hold up a sign-in). The application's
// effects (capture, submit, print) go to the Shell's workers as the
// kiosk's do.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "hall_queue_slot.h"
#include "session/clerk_effects.h"
#include "store/store.h"
#include "workers.h"

namespace bianmin::ui {

class CounterDesk {
 public:
  CounterDesk(const config::Config& cfg, std::vector<std::string> lines, Inbox& inbox);
  ~CounterDesk();
  CounterDesk(const CounterDesk&) = delete;
  CounterDesk& operator=(const CounterDesk&) = delete;

  // The counter-only effects; never blocks.
  void carry_out(const session::DoCheckClerkPin& e);
  void carry_out(const session::DoCallNextTicket& e);
  void carry_out(const session::DoSetTicketState& e);
  // Sends this window's waiting line now, whole (it is also read every few
  // seconds, and sent when it changed).
  void refresh_line();
  void stop();

 private:
  store::Store* store(std::unique_ptr<store::Store>& slot);
  queue::HallQueue* hall();
  void push_line();

  store::StoreOptions store_options_;
  std::vector<std::string> lines_;
  Inbox& inbox_;
  std::unique_ptr<store::Store> store_;       // used only on worker_
  std::unique_ptr<store::Store> hall_store_;  // used only on hall_worker_
  HallQueueSlot hall_;                        // used only on hall_worker_
  std::vector<std::string> last_line_;        // numbers last sent, to send only changes
  bool last_line_unknown_ = false;            // "the queue did not answer" was sent
  std::atomic<bool> line_pending_{false};     // a poll of the line is queued
  Worker worker_{"counter"}, hall_worker_{"counter-hall"};
  std::thread poller_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace bianmin::ui
