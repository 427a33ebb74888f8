#include "hall_queue_slot.h"

#include "base/log.h"
#include "hall/hall_setup.h"

namespace bianmin::ui {

queue::HallQueue* HallQueueSlot::get(store::Store& s) {
  if (queue_) return queue_.get();
  auto q = sync::hall::open_hall_queue(s, cfg_);
  if (!q) {
    failed("open", q.error());
    return nullptr;
  }
  queue_ = std::move(q).value();
  return queue_.get();
}

void HallQueueSlot::failed(const char* what, const Error& e) {
  if (e.code + e.message == last_error_) return;
  last_error_ = e.code + e.message;
  log::error("ui", "hall queue unavailable", {{"call", what}, {"error", e.code}, {"detail", e.message}});
}

}  // namespace bianmin::ui
