// A disk that forgets what was not made durable: a FUSE file system that
// passes every operation through to a "live" directory and tells a
// DurableModel about writes, truncations, fsyncs and names going away. The
// programs under test run unchanged on the mount point; `cut()` is the power
// cut: the mount goes away and the model says what the disk still holds.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "powercut/durable_model.h"

struct fuse;

namespace bianmin::testing::powercut {

class LazyDisk {
 public:
  ~LazyDisk();

  // Mounts `mountpoint` over `live` (whose content is taken as durable).
  static std::unique_ptr<LazyDisk> mount(const std::string& live, const std::string& mountpoint, std::string* error);

  // Unmounts (whoever still had files open was killed before) and writes
  // what survived into the empty directory `target`.
  bool cut(const std::string& target, std::string* error);

  const std::string& live() const { return live_; }
  const DurableModel& model() const { return model_; }
  DurableModel& model() { return model_; }

 private:
  LazyDisk() = default;
  void unmount();

  std::string live_, mountpoint_;
  DurableModel model_;
  struct fuse* fuse_ = nullptr;
  std::thread loop_;
  bool mounted_ = false;
};

}  // namespace bianmin::testing::powercut
