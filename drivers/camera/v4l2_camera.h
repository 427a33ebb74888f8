// UVC document cameras through V4L2 (kernel sample v4l2grab.c): QUERYCAP,
// ENUM_FMT / ENUM_FRAMESIZES / ENUM_FRAMEINTERVALS, S_FMT, S_PARM, mmap
// buffers (REQBUFS, QUERYBUF, QBUF/DQBUF), STREAMON/STREAMOFF.
//
// Recovery: an unplugged camera makes poll/DQBUF fail with ENODEV; the
// camera reports "camera_unplugged", closes, and CameraService reopens it
// when the node is back. A frame the driver marks V4L2_BUF_FLAG_ERROR
// (a damaged USB transfer) is dropped, not shown. ENOSPC on STREAMON (not
// enough USB bandwidth) moves to the next mode candidate (v4l2_modes.h).
#pragma once

#include <vector>

#include "camera/camera_source.h"
#include "camera/v4l2_modes.h"

namespace bianmin::drivers::camera {

class V4l2Camera final : public CameraSource {
 public:
  V4l2Camera(std::string path, CameraOptions opts) : path_(std::move(path)), opts_(opts) {}
  ~V4l2Camera() override { close(); }

  Status open() override;
  void close() override;
  bool is_open() const override { return fd_ >= 0; }
  Status start_preview() override;
  Result<Frame> next_frame(std::chrono::milliseconds timeout) override;
  Result<Frame> capture_still() override;
  bool present() const override;
  std::string describe() const override;

  const std::vector<V4l2Mode>& modes() const { return modes_; }

 private:
  struct Buffer {
    void* start = nullptr;
    std::size_t length = 0;
  };
  Status enumerate();
  Status start_stream(const StreamChoice& c);  // "camera_bandwidth" on ENOSPC
  void stop_stream();
  Result<Frame> dequeue(int timeout_ms);
  Status try_candidates(const std::vector<StreamChoice>& cs, StreamChoice* used);
  Error errno_error(const char* what, int err) const;

  std::string path_;
  CameraOptions opts_;
  int fd_ = -1;
  std::string card_;
  std::vector<V4l2Mode> modes_;
  std::vector<Buffer> buffers_;
  bool streaming_ = false;
  StreamChoice current_{}, preview_{};
  bool have_preview_ = false;
  uint64_t seq_ = 0;
};

}  // namespace bianmin::drivers::camera
