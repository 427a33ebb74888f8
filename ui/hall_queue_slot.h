// The hall's queue as one worker of the kiosk reaches it (queue.host: its
// own store's, or the keeper's over the hall LAN), opened on first use on
// that worker and again after it could not be. Used from one thread only.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "queue/hall_queue.h"

namespace bianmin::store { class Store; }

namespace bianmin::ui {

class HallQueueSlot {
 public:
  explicit HallQueueSlot(config::Config cfg) : cfg_(std::move(cfg)) {}

  // The queue, or nullptr (the reason logged once) when it cannot be had.
  // `s` is the worker's store connection, the same on every call.
  queue::HallQueue* get(store::Store& s);
  // A call on the queue failed: logged when the reason changed, so a keeper
  // switched off is one line in the log, not one per poll.
  void failed(const char* what, const Error& e);
  void succeeded() { last_error_.clear(); }

 private:
  config::Config cfg_;
  std::unique_ptr<queue::HallQueue> queue_;
  std::string last_error_;
};

}  // namespace bianmin::ui
