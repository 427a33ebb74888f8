// The camera as the kiosk uses it: a worker thread keeps the preview
// streaming and reconnects by itself; the UI reads the newest frame and the
// state without ever blocking on the device (DESIGN invariant 5).
//
// Unplugging mid-preview gives a clear state (unplugged), and the newest
// frame is dropped at once, so a screen can never keep showing a frozen
// picture as if it were live; a camera that stops delivering frames
// without an error (stalled) is treated the same way. When the device
// comes back the worker reopens it and capture works again, no restart.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "camera/camera_source.h"

namespace bianmin::drivers::camera {

enum class CameraState {
  absent,     // no camera (never seen since start)
  starting,   // opening, negotiating
  streaming,  // preview frames flowing
  unplugged,  // was there, went away (or stalled); waiting for it to come back
  failed,     // present but unusable (bandwidth, unsupported); retried slowly
};
const char* camera_state_name(CameraState s);

struct CameraStatus {
  CameraState state = CameraState::absent;
  std::string message;  // for people: why not streaming
  uint64_t frames = 0;  // preview frames received since start
  uint64_t reconnects = 0;
};

struct CameraServiceOptions {
  int reconnect_ms = 500;     // how often an absent camera is looked for
  int frame_timeout_ms = 500;
  int stall_ms = 2000;        // no frame for this long: treat as unplugged
};

class CameraService {
 public:
  CameraService(std::unique_ptr<CameraSource> src, CameraServiceOptions o = {});
  ~CameraService();
  CameraService(const CameraService&) = delete;
  CameraService& operator=(const CameraService&) = delete;

  void start();
  void stop();

  CameraStatus status() const;
  // The newest preview frame, only while streaming: never a stale one.
  std::optional<Frame> latest() const;
  // Blocks until the state is `s` or `timeout` passes (tests, CLI).
  bool wait_for(CameraState s, std::chrono::milliseconds timeout) const;
  // Waits for a preview frame newer than `after` (sequence), or timeout.
  std::optional<Frame> wait_frame(uint64_t after, std::chrono::milliseconds timeout) const;
  // A full-resolution still, taken by the worker between preview frames.
  // "camera_unplugged"/"camera_absent" at once when there is no camera.
  Result<Frame> capture_still(std::chrono::milliseconds timeout);
  // Called on the worker thread at every state change.
  void on_change(std::function<void(const CameraStatus&)> fn);

  CameraSource& source() { return *src_; }

 private:
  void run();
  void set_state(CameraState s, std::string message);
  void sleep_ms(int ms);

  std::unique_ptr<CameraSource> src_;
  CameraServiceOptions o_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  CameraStatus status_;
  std::optional<Frame> latest_;
  bool seen_ = false;
  bool running_ = false;
  std::deque<std::promise<Result<Frame>>> stills_;
  std::function<void(const CameraStatus&)> on_change_;
  std::thread worker_;
};

}  // namespace bianmin::drivers::camera
