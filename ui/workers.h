// Where slow work happens (design invariant 5): each Worker is one thread
// with a queue, so work of one kind (the store, a device, the network) runs
// in order while the render loop never waits. Results come back through the
// Inbox, which wakes the loop.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "catalog/model.h"
#include "session/clerk_inputs.h"
#include "session/inputs.h"
#include "session/service_inputs.h"
#include "status.h"

namespace bianmin::ui {

class Worker {
 public:
  explicit Worker(std::string name);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void post(std::function<void()> job);
  // Drops queued jobs and joins after the one running.
  void stop();
  std::size_t queued() const;

 private:
  void run();
  std::string name_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

// Things the loop learns from its workers.
struct StatusChange {
  std::function<void(DeviceStatus&)> apply;
};
struct CatalogChange {
  std::shared_ptr<const catalog::Catalog> catalog;
};
struct PreviewFrame {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
};
struct ImeReady {};
// A code the scanner read, as it read it (wiped once routed).
struct RawCode {
  std::string text;
};
struct PreparedAtlas;
struct AtlasReady {  // a glyph atlas rasterised on the atlas worker (null: failed)
  std::shared_ptr<PreparedAtlas> atlas;
  bool elder = false;
  uint64_t generation = 0;
};
using LoopEvent = std::variant<session::Input, session::ServiceInput, session::ClerkInput, RawCode, StatusChange, CatalogChange, PreviewFrame,
                               ImeReady, AtlasReady>;

// Thread-safe; push() wakes the render loop (an SDL user event).
class Inbox {
 public:
  void push(LoopEvent e);
  std::vector<LoopEvent> drain();
  static void set_wake_event(uint32_t sdl_event_type);

 private:
  std::mutex mu_;
  std::vector<LoopEvent> events_;
};

}  // namespace bianmin::ui
