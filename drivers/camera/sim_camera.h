// The simulated document camera: the same CameraSource as a UVC camera,
// serving MJPEG preview frames and stills made from an image file, a
// directory of image files (one after another) or a synthetic photographed
// page. It can be unplugged and re-plugged: by unplug()/replug(), or by
// removing and restoring its image file or directory, as a device node
// disappears and comes back.
#pragma once

#include <atomic>
#include <mutex>

#include "camera/camera_source.h"
#include "camera/jpeg_codec.h"
#include "camera/sim_scene.h"

namespace bianmin::drivers::camera {

class SimCamera final : public CameraSource {
 public:
  SimCamera(std::string path, CameraOptions opts) : path_(std::move(path)), opts_(opts) {}

  Status open() override;
  void close() override;
  bool is_open() const override { return open_; }
  Status start_preview() override;
  Result<Frame> next_frame(std::chrono::milliseconds timeout) override;
  Result<Frame> capture_still() override;
  bool present() const override;
  std::string describe() const override { return "sim:" + path_; }

  void unplug() { unplugged_ = true; }
  void replug() { unplugged_ = false; }

 private:
  Status load();
  Result<std::string> current_file();
  void preview_size(int width, int height);
  Status encode(Image im);
  Status take_jpeg(std::string jpeg, const JpegInfo& info);

  std::string path_;
  CameraOptions opts_;
  std::atomic<bool> unplugged_{false};
  bool open_ = false, streaming_ = false;
  std::mutex mu_;
  std::vector<std::string> files_;  // directory mode
  std::size_t index_ = 0;
  std::string preview_jpeg_, still_jpeg_;  // what the camera sees, as its frames
  int pw_ = 0, ph_ = 0, width_ = 0, height_ = 0;
  uint64_t seq_ = 0;
  int64_t next_due_us_ = 0;
};

}  // namespace bianmin::drivers::camera
