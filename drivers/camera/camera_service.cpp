#include "camera/camera_service.h"

#include "base/log.h"

namespace bianmin::drivers::camera {

const char* camera_state_name(CameraState s) {
  switch (s) {
    case CameraState::absent: return "absent";
    case CameraState::starting: return "starting";
    case CameraState::streaming: return "streaming";
    case CameraState::unplugged: return "unplugged";
    case CameraState::failed: return "failed";
  }
  return "absent";
}

CameraService::CameraService(std::unique_ptr<CameraSource> src, CameraServiceOptions o) : src_(std::move(src)), o_(o) {}

CameraService::~CameraService() { stop(); }

void CameraService::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_) return;
  running_ = true;
  worker_ = std::thread([this] { run(); });
}

void CameraService::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return;
    running_ = false;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  src_->close();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& p : stills_) p.set_value(make_error("camera_stopped", "camera service stopped"));
  stills_.clear();
  latest_.reset();
}

CameraStatus CameraService::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

std::optional<Frame> CameraService::latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (status_.state != CameraState::streaming) return std::nullopt;
  return latest_;
}

bool CameraService::wait_for(CameraState s, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return status_.state == s; });
}

std::optional<Frame> CameraService::wait_frame(uint64_t after, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout, [&] {
    return status_.state == CameraState::streaming && latest_ && latest_->sequence > after;
  });
  if (status_.state != CameraState::streaming || !latest_ || latest_->sequence <= after) return std::nullopt;
  return latest_;
}

void CameraService::on_change(std::function<void(const CameraStatus&)> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  on_change_ = std::move(fn);
}

Result<Frame> CameraService::capture_still(std::chrono::milliseconds timeout) {
  std::future<Result<Frame>> fut;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return make_error("camera_stopped", "camera service not running");
    if (status_.state != CameraState::streaming) {
      const bool gone = status_.state == CameraState::unplugged;
      return make_error(gone ? "camera_unplugged" : (status_.state == CameraState::failed ? "camera_io" : "camera_absent"),
                        status_.message.empty() ? "the camera is not ready" : status_.message);
    }
    stills_.emplace_back();
    fut = stills_.back().get_future();
  }
  cv_.notify_all();
  if (fut.wait_for(timeout) != std::future_status::ready) return make_error("camera_timeout", "no still in time");
  return fut.get();
}

void CameraService::set_state(CameraState s, std::string message) {
  std::function<void(const CameraStatus&)> cb;
  CameraStatus copy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (status_.state == s && status_.message == message) return;
    status_.state = s;
    status_.message = std::move(message);
    if (s != CameraState::streaming) latest_.reset();  // never leave a frozen frame behind
    copy = status_;
    cb = on_change_;
  }
  cv_.notify_all();
  log::info("camera", "state", {{"state", camera_state_name(s)}, {"message", copy.message}});
  if (cb) cb(copy);
}

void CameraService::sleep_ms(int ms) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return !running_; });
}

void CameraService::run() {
  int64_t last_frame_us = 0;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!running_) return;
    }
    if (!src_->is_open()) {
      if (!src_->present()) {
        set_state(seen_ ? CameraState::unplugged : CameraState::absent,
                  seen_ ? "摄像头已断开 / the camera was unplugged" : "未连接摄像头 / no camera connected");
        // Fail pending stills at once rather than at their timeout.
        {
          std::lock_guard<std::mutex> lock(mu_);
          for (auto& p : stills_) p.set_value(make_error(seen_ ? "camera_unplugged" : "camera_absent", status_.message));
          stills_.clear();
        }
        sleep_ms(o_.reconnect_ms);
        continue;
      }
      set_state(CameraState::starting, "");
      Status st = src_->open();
      if (st) st = src_->start_preview();
      if (!st) {
        src_->close();
        const bool gone = st.error().code == "camera_absent" || st.error().code == "camera_unplugged";
        set_state(gone ? (seen_ ? CameraState::unplugged : CameraState::absent) : CameraState::failed, st.error().message);
        sleep_ms(gone ? o_.reconnect_ms : o_.reconnect_ms * 4);
        continue;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (seen_) ++status_.reconnects;
      }
      seen_ = true;
      last_frame_us = monotonic_us();
      set_state(CameraState::streaming, "");
    }
    // A still requested by another thread?
    std::optional<std::promise<Result<Frame>>> job;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!stills_.empty()) {
        job.emplace(std::move(stills_.front()));
        stills_.pop_front();
      }
    }
    if (job) {
      auto r = src_->capture_still();
      const bool gone = !r && r.error().code == "camera_unplugged";
      job->set_value(std::move(r));
      if (gone) {
        src_->close();
        set_state(CameraState::unplugged, "摄像头已断开 / the camera was unplugged");
      }
      last_frame_us = monotonic_us();
      continue;
    }
    auto f = src_->next_frame(std::chrono::milliseconds(o_.frame_timeout_ms));
    if (f) {
      last_frame_us = f->time_us;
      std::lock_guard<std::mutex> lock(mu_);
      ++status_.frames;
      latest_ = std::move(*f);
      cv_.notify_all();
      continue;
    }
    const std::string code = f.error().code;
    if (code == "camera_timeout") {
      if (monotonic_us() - last_frame_us > int64_t{o_.stall_ms} * 1000) {
        log::warn("camera", "no frames; reopening the camera", {{"device", src_->describe()}});
        src_->close();
        set_state(CameraState::unplugged, "摄像头无画面 / the camera stopped sending pictures");
      } else {
        std::lock_guard<std::mutex> lock(mu_);
        latest_.reset();  // late frames: do not keep showing the last one
      }
      continue;
    }
    src_->close();
    set_state(code == "camera_unplugged" ? CameraState::unplugged : CameraState::failed, f.error().message);
  }
}

}  // namespace bianmin::drivers::camera
