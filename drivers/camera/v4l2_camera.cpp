#include "camera/v4l2_camera.h"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "base/log.h"

namespace bianmin::drivers::camera {
namespace {

int xioctl(int fd, unsigned long req, void* arg) {
  int r;
  do r = ::ioctl(fd, req, arg);
  while (r == -1 && errno == EINTR);
  return r;
}

}  // namespace

Error V4l2Camera::errno_error(const char* what, int err) const {
  if (err == ENODEV || err == ENXIO || err == ENOENT)
    return make_error("camera_unplugged", "camera " + path_ + " went away (" + what + ": " + std::strerror(err) + ")");
  if (err == ENOSPC)
    return make_error("camera_bandwidth", std::string("not enough USB bandwidth for this mode (") + what + ": ENOSPC)");
  if (err == EBUSY) return make_error("camera_busy", "camera " + path_ + " is in use by another program");
  return make_error("camera_io", "camera " + path_ + ": " + what + ": " + std::strerror(err));
}

bool V4l2Camera::present() const {
  struct stat st{};
  return ::stat(path_.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

std::string V4l2Camera::describe() const { return "v4l2:" + path_ + (card_.empty() ? "" : " (" + card_ + ")"); }

Status V4l2Camera::open() {
  close();
  fd_ = ::open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    const int e = errno;
    if (e == ENOENT || e == ENODEV || e == ENXIO) return make_error("camera_absent", "no camera at " + path_);
    return errno_error("open", e);
  }
  v4l2_capability cap{};
  if (xioctl(fd_, VIDIOC_QUERYCAP, &cap) != 0) {
    const int e = errno;
    close();
    if (e == ENOTTY) return make_error("camera_unsupported", path_ + " is not a V4L2 device");
    return errno_error("VIDIOC_QUERYCAP", e);
  }
  const uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
  if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING)) {
    close();
    // uvcvideo also creates a metadata node per camera (often /dev/video1).
    return make_error("camera_unsupported", path_ + " is not a streaming capture device (a UVC metadata node?)");
  }
  card_.assign(reinterpret_cast<const char*>(cap.card), strnlen(reinterpret_cast<const char*>(cap.card), sizeof cap.card));
  if (Status st = enumerate(); !st) {
    close();
    return st;
  }
  return {};
}

Status V4l2Camera::enumerate() {
  modes_.clear();
  v4l2_fmtdesc fd{};
  fd.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  for (fd.index = 0; xioctl(fd_, VIDIOC_ENUM_FMT, &fd) == 0 && fd.index < 64; ++fd.index) {
    if (fd.pixelformat != kFourccMjpeg && fd.pixelformat != kFourccYuyv) continue;
    std::vector<std::pair<int, int>> sizes;
    v4l2_frmsizeenum fs{};
    fs.pixel_format = fd.pixelformat;
    for (fs.index = 0; xioctl(fd_, VIDIOC_ENUM_FRAMESIZES, &fs) == 0 && fs.index < 256; ++fs.index) {
      if (fs.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
        sizes.emplace_back(fs.discrete.width, fs.discrete.height);
      } else {
        // Stepwise/continuous: the common document-camera sizes in range.
        static const int kStd[][2] = {{640, 480}, {1280, 720}, {1600, 1200}, {1920, 1080}, {2048, 1536},
                                      {2592, 1944}, {3264, 2448}, {4000, 3000}};
        for (const auto& s : kStd)
          if (static_cast<uint32_t>(s[0]) >= fs.stepwise.min_width && static_cast<uint32_t>(s[0]) <= fs.stepwise.max_width &&
              static_cast<uint32_t>(s[1]) >= fs.stepwise.min_height && static_cast<uint32_t>(s[1]) <= fs.stepwise.max_height)
            sizes.emplace_back(s[0], s[1]);
        sizes.emplace_back(fs.stepwise.max_width, fs.stepwise.max_height);
        break;
      }
    }
    for (const auto& [w, h] : sizes) {
      double best = 0;
      v4l2_frmivalenum fi{};
      fi.pixel_format = fd.pixelformat;
      fi.width = static_cast<uint32_t>(w);
      fi.height = static_cast<uint32_t>(h);
      for (fi.index = 0; xioctl(fd_, VIDIOC_ENUM_FRAMEINTERVALS, &fi) == 0 && fi.index < 64; ++fi.index) {
        const v4l2_fract f = fi.type == V4L2_FRMIVAL_TYPE_DISCRETE ? fi.discrete : fi.stepwise.min;
        if (f.numerator) best = std::max(best, static_cast<double>(f.denominator) / f.numerator);
        if (fi.type != V4L2_FRMIVAL_TYPE_DISCRETE) break;
      }
      modes_.push_back({fd.pixelformat, w, h, best});
    }
  }
  if (modes_.empty()) return make_error("camera_unsupported", path_ + " offers neither MJPEG nor YUYV");
  return {};
}

void V4l2Camera::stop_stream() {
  if (fd_ >= 0 && streaming_) {
    v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    (void)xioctl(fd_, VIDIOC_STREAMOFF, &t);
  }
  streaming_ = false;
  for (auto& b : buffers_)
    if (b.start && b.start != MAP_FAILED) ::munmap(b.start, b.length);
  buffers_.clear();
  if (fd_ >= 0) {
    v4l2_requestbuffers rb{};
    rb.count = 0;
    rb.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    rb.memory = V4L2_MEMORY_MMAP;
    (void)xioctl(fd_, VIDIOC_REQBUFS, &rb);
  }
}

void V4l2Camera::close() {
  stop_stream();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status V4l2Camera::start_stream(const StreamChoice& c) {
  stop_stream();
  v4l2_format fmt{};
  fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  fmt.fmt.pix.width = static_cast<uint32_t>(c.mode.width);
  fmt.fmt.pix.height = static_cast<uint32_t>(c.mode.height);
  fmt.fmt.pix.pixelformat = c.mode.fourcc;
  fmt.fmt.pix.field = V4L2_FIELD_ANY;
  if (xioctl(fd_, VIDIOC_S_FMT, &fmt) != 0) return errno_error("VIDIOC_S_FMT", errno);
  // The driver may adjust: use what it set.
  current_ = c;
  current_.mode.width = static_cast<int>(fmt.fmt.pix.width);
  current_.mode.height = static_cast<int>(fmt.fmt.pix.height);
  current_.mode.fourcc = fmt.fmt.pix.pixelformat;
  if (current_.mode.fourcc != kFourccMjpeg && current_.mode.fourcc != kFourccYuyv)
    return make_error("camera_unsupported", "driver chose format " + fourcc_name(current_.mode.fourcc));
  if (c.fps > 0) {
    v4l2_streamparm parm{};
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    parm.parm.capture.timeperframe.numerator = 1000;
    parm.parm.capture.timeperframe.denominator = static_cast<uint32_t>(std::lround(c.fps * 1000));
    (void)xioctl(fd_, VIDIOC_S_PARM, &parm);  // optional: some cameras have a fixed rate
  }
  v4l2_requestbuffers rb{};
  rb.count = 4;
  rb.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  rb.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_REQBUFS, &rb) != 0) return errno_error("VIDIOC_REQBUFS", errno);
  if (rb.count < 2) return make_error("camera_io", "camera gave fewer than 2 buffers");
  for (uint32_t i = 0; i < rb.count; ++i) {
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    b.index = i;
    if (xioctl(fd_, VIDIOC_QUERYBUF, &b) != 0) return errno_error("VIDIOC_QUERYBUF", errno);
    void* p = ::mmap(nullptr, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, b.m.offset);
    if (p == MAP_FAILED) return errno_error("mmap", errno);
    buffers_.push_back({p, b.length});
    if (xioctl(fd_, VIDIOC_QBUF, &b) != 0) return errno_error("VIDIOC_QBUF", errno);
  }
  v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  if (xioctl(fd_, VIDIOC_STREAMON, &t) != 0) {
    const int e = errno;
    stop_stream();
    return errno_error("VIDIOC_STREAMON", e);
  }
  streaming_ = true;
  return {};
}

Status V4l2Camera::try_candidates(const std::vector<StreamChoice>& cs, StreamChoice* used) {
  Error last = make_error("camera_unsupported", "no usable mode");
  for (const auto& c : cs) {
    Status st = start_stream(c);
    if (st) {
      *used = current_;
      return {};
    }
    last = st.error();
    if (last.code != "camera_bandwidth") return last;
    log::warn("camera", "USB bandwidth exhausted; trying a smaller mode",
              {{"format", fourcc_name(c.mode.fourcc)}, {"width", c.mode.width}, {"height", c.mode.height}, {"fps", c.fps}});
  }
  return last;
}

Status V4l2Camera::start_preview() {
  if (fd_ < 0) return make_error("camera_io", "camera not open");
  if (have_preview_) {
    if (start_stream(preview_)) return {};
  }
  StreamChoice used;
  BIANMIN_TRY(try_candidates(preview_candidates(modes_, opts_.preview_width, opts_.preview_height, opts_.preview_fps), &used));
  preview_ = used;
  have_preview_ = true;
  log::info("camera", "preview streaming",
            {{"device", path_}, {"format", fourcc_name(used.mode.fourcc)}, {"width", used.mode.width}, {"height", used.mode.height}});
  return {};
}

Result<Frame> V4l2Camera::dequeue(int timeout_ms) {
  const int64_t end = monotonic_us() + int64_t{timeout_ms} * 1000;
  for (;;) {
    const int64_t left = (end - monotonic_us()) / 1000;
    if (left < 0) return make_error("camera_timeout", "no frame from the camera in time");
    pollfd p{fd_, POLLIN, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("poll", errno);
    }
    if (n == 0) return make_error("camera_timeout", "no frame from the camera in time");
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    if (xioctl(fd_, VIDIOC_DQBUF, &b) != 0) {
      const int e = errno;
      if (e == EAGAIN) continue;
      // uvcvideo answers ENODEV once the camera is unplugged (POLLERR first).
      if ((p.revents & POLLERR) && e == EINVAL) return errno_error("VIDIOC_DQBUF", ENODEV);
      return errno_error("VIDIOC_DQBUF", e);
    }
    Frame f;
    bool good = b.index < buffers_.size() && !(b.flags & V4L2_BUF_FLAG_ERROR) && b.bytesused > 0;
    if (good) {
      const auto* d = static_cast<const char*>(buffers_[b.index].start);
      const std::size_t n2 = std::min<std::size_t>(b.bytesused, buffers_[b.index].length);
      if (current_.mode.fourcc == kFourccMjpeg) {
        // Damaged MJPEG transfers: no start-of-image marker.
        good = n2 > 4 && static_cast<unsigned char>(d[0]) == 0xFF && static_cast<unsigned char>(d[1]) == 0xD8;
      } else {
        good = n2 >= static_cast<std::size_t>(current_.mode.width) * static_cast<std::size_t>(current_.mode.height) * 2;
      }
      if (good) {
        f.format = current_.mode.fourcc == kFourccMjpeg ? PixelFormat::mjpeg : PixelFormat::yuyv;
        f.width = current_.mode.width;
        f.height = current_.mode.height;
        f.data.assign(d, n2);
        f.sequence = ++seq_;
        f.time_us = monotonic_us();
      }
    }
    if (xioctl(fd_, VIDIOC_QBUF, &b) != 0) return errno_error("VIDIOC_QBUF", errno);
    if (good) return f;
    // A damaged frame: wait for the next one.
  }
}

Result<Frame> V4l2Camera::next_frame(std::chrono::milliseconds timeout) {
  if (fd_ < 0 || !streaming_) return make_error("camera_io", "camera not streaming");
  auto f = dequeue(static_cast<int>(timeout.count()));
  if (!f && f.error().code == "camera_unplugged") close();
  return f;
}

Result<Frame> V4l2Camera::capture_still() {
  if (fd_ < 0) return make_error("camera_io", "camera not open");
  const bool was_previewing = streaming_;
  StreamChoice used;
  Status st = try_candidates(still_candidates(modes_, opts_.still_width, opts_.still_height), &used);
  if (!st) {
    if (st.error().code == "camera_unplugged") close();
    else if (was_previewing) (void)start_preview();
    return st.take_error();
  }
  Result<Frame> shot = make_error("camera_timeout", "no still");
  // The first frames after a mode switch are dark or blurred while auto
  // exposure and focus settle.
  for (int i = 0; i <= opts_.warmup_frames; ++i) {
    shot = dequeue(3000);
    if (!shot) break;
  }
  if (shot) {
    log::info("camera", "still captured",
              {{"format", fourcc_name(used.mode.fourcc)}, {"width", used.mode.width}, {"height", used.mode.height}});
  }
  if (!shot && shot.error().code == "camera_unplugged") {
    close();
    return shot;
  }
  stop_stream();
  if (was_previewing) {
    Status back = start_preview();
    if (!back) log::warn("camera", "preview did not resume after the still", {{"error", back.error().message}});
  }
  return shot;
}

Result<CameraSpec> parse_camera_spec(std::string_view t) {
  CameraSpec s;
  if (t.rfind("v4l2:", 0) == 0) {
    s.kind = CameraSpec::Kind::v4l2;
    s.path = std::string(t.substr(5));
  } else if (t.rfind("sim:", 0) == 0) {
    s.kind = CameraSpec::Kind::sim;
    s.path = std::string(t.substr(4));
  } else {
    return make_error("usage", "--camera must be v4l2:/dev/videoN or sim:PATH (or sim:synth:KIND,…)");
  }
  if (s.path.empty()) return make_error("usage", "--camera: missing path");
  return s;
}

}  // namespace bianmin::drivers::camera
