#include "workers.h"

#include <SDL.h>

#include <atomic>

#include "base/log.h"

namespace bianmin::ui {

Worker::Worker(std::string name) : name_(std::move(name)), thread_([this] { run(); }) {}

Worker::~Worker() { stop(); }

void Worker::post(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void Worker::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    jobs_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t Worker::queued() const {
  std::lock_guard lock(mu_);
  return jobs_.size();
}

void Worker::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      // Exceptions stay inside a module; a job that throws is a bug, logged.
      log::error("ui", "worker job failed", {{"worker", name_}, {"what", e.what()}});
    }
  }
}

namespace {
std::atomic<uint32_t> g_wake_event{0};
}

void Inbox::set_wake_event(uint32_t sdl_event_type) { g_wake_event = sdl_event_type; }

void Inbox::push(LoopEvent e) {
  {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(e));
  }
  if (const uint32_t type = g_wake_event.load()) {
    SDL_Event ev{};
    ev.type = type;
    SDL_PushEvent(&ev);
  }
}

std::vector<LoopEvent> Inbox::drain() {
  std::lock_guard lock(mu_);
  std::vector<LoopEvent> out;
  out.swap(events_);
  return out;
}

}  // namespace bianmin::ui
