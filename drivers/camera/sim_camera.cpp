#include "camera/sim_camera.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "base/fs.h"
#include "camera/jpeg_codec.h"

namespace bianmin::drivers::camera {

int64_t monotonic_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

bool SimCamera::present() const {
  if (unplugged_) return false;
  if (path_.rfind("synth:", 0) == 0) return true;
  struct stat st{};
  return ::stat(path_.c_str(), &st) == 0;
}

Status SimCamera::load() {
  if (path_.rfind("synth:", 0) == 0) {
    BIANMIN_ASSIGN(SceneOptions so, parse_scene_spec(std::string_view(path_).substr(6)));
    BIANMIN_ASSIGN(Scene sc, synthesize_scene(so));
    return encode(std::move(sc.frame));
  }
  BIANMIN_ASSIGN(std::string file, current_file());
  BIANMIN_ASSIGN(std::string bytes, fs::read_file(file, 64u << 20));
  // A JPEG is what an MJPEG camera sends: used as the still as it is, and
  // decoded at a reduced size for the preview only (no 15 MB picture).
  if (auto info = jpeg_info(bytes)) {
    BIANMIN_TRY(check_image_size(info->width, info->height));
    return take_jpeg(std::move(bytes), *info);
  }
  auto im = decode_image(bytes);
  if (!im) return make_error(im.error().code, file + ": " + im.error().message);
  return encode(std::move(*im));
}

// The image file in front of the camera now (a directory: the current page).
Result<std::string> SimCamera::current_file() {
  struct stat st{};
  if (::stat(path_.c_str(), &st) != 0) return make_error("camera_absent", "no camera at sim:" + path_);
  if (!S_ISDIR(st.st_mode)) return path_;
  files_.clear();
  if (DIR* d = ::opendir(path_.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      auto ext = n.size() > 4 ? n.substr(n.size() - 4) : "";
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (ext == ".jpg" || (n.size() > 5 && n.substr(n.size() - 5) == ".jpeg") || ext == ".png" || ext == ".ppm" ||
          ext == ".pgm")
        files_.push_back(path_ + "/" + n);
    }
    ::closedir(d);
  }
  std::sort(files_.begin(), files_.end());
  if (files_.empty()) return make_error("camera_absent", "sim:" + path_ + ": no image files in the directory");
  index_ = std::min(index_, files_.size() - 1);
  return files_[index_];
}

void SimCamera::preview_size(int width, int height) {
  const double s = std::min({1.0, static_cast<double>(opts_.preview_width) / width,
                             static_cast<double>(opts_.preview_height) / height});
  pw_ = std::max(16, static_cast<int>(std::lround(width * s)));
  ph_ = std::max(16, static_cast<int>(std::lround(height * s)));
}

Status SimCamera::take_jpeg(std::string jpeg, const JpegInfo& info) {
  preview_size(info.width, info.height);
  int denom = 1;
  while (denom < 8 && info.width / (denom * 2) >= pw_ && info.height / (denom * 2) >= ph_) denom *= 2;
  BIANMIN_ASSIGN(Image small, decode_jpeg(jpeg, 3, denom));
  BIANMIN_ASSIGN(preview_jpeg_, encode_jpeg(resize(small, pw_, ph_), 80));
  still_jpeg_ = std::move(jpeg);
  width_ = info.width;
  height_ = info.height;
  return {};
}

// A UVC camera hands out compressed frames from a few driver buffers; so
// does this one: the picture is encoded once (preview and still) and not
// kept — a 2592 x 1944 scene is 15 MB, its still 1 MB.
Status SimCamera::encode(Image im) {
  preview_size(im.width, im.height);
  BIANMIN_ASSIGN(preview_jpeg_, encode_jpeg(resize(im, pw_, ph_), 80));
  BIANMIN_ASSIGN(still_jpeg_, encode_jpeg(im, 92));
  width_ = im.width;
  height_ = im.height;
  return {};
}

Status SimCamera::open() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!present()) return make_error("camera_absent", "no camera at sim:" + path_);
  if (still_jpeg_.empty()) BIANMIN_TRY(load());
  open_ = true;
  return {};
}

void SimCamera::close() {
  std::lock_guard<std::mutex> lock(mu_);
  open_ = streaming_ = false;
}

Status SimCamera::start_preview() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_) return make_error("camera_io", "camera not open");
  if (!present()) return make_error("camera_unplugged", "camera sim:" + path_ + " was unplugged");
  streaming_ = true;
  next_due_us_ = monotonic_us();
  return {};
}

Result<Frame> SimCamera::next_frame(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!open_ || !streaming_) return make_error("camera_io", "camera not streaming");
  if (!present()) {
    open_ = streaming_ = false;
    return make_error("camera_unplugged", "camera sim:" + path_ + " was unplugged");
  }
  // Pace the stream like a camera at preview_fps.
  const int64_t now = monotonic_us();
  const int64_t wait = next_due_us_ - now;
  if (wait > std::chrono::duration_cast<std::chrono::microseconds>(timeout).count())
    return make_error("camera_timeout", "no frame in time");
  if (wait > 0) {
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::microseconds(wait));
    lock.lock();
    if (!present()) {
      open_ = streaming_ = false;
      return make_error("camera_unplugged", "camera sim:" + path_ + " was unplugged");
    }
  }
  next_due_us_ = std::max(next_due_us_, now) + static_cast<int64_t>(1e6 / std::max(1.0, opts_.preview_fps));
  if (preview_jpeg_.empty()) BIANMIN_TRY(load());
  Frame f;
  f.format = PixelFormat::mjpeg;
  f.width = pw_;
  f.height = ph_;
  f.data = preview_jpeg_;
  f.sequence = ++seq_;
  f.time_us = monotonic_us();
  return f;
}

Result<Frame> SimCamera::capture_still() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_) return make_error("camera_io", "camera not open");
  if (!present()) {
    open_ = streaming_ = false;
    return make_error("camera_unplugged", "camera sim:" + path_ + " was unplugged");
  }
  if (still_jpeg_.empty()) BIANMIN_TRY(load());
  Frame f;
  f.format = PixelFormat::mjpeg;
  f.width = width_;
  f.height = height_;
  f.data = still_jpeg_;
  f.sequence = ++seq_;
  f.time_us = monotonic_us();
  // A directory plays its files one per still: the next page is next.
  if (!files_.empty() && files_.size() > 1) {
    index_ = (index_ + 1) % files_.size();
    auto st = load();
    if (!st) return st.take_error();
  }
  return f;
}

}  // namespace bianmin::drivers::camera
