#include "docscan/reader_threads.h"

#include <dirent.h>

#include <cstdlib>
#include <thread>

namespace bianmin::drivers::docscan {

std::set<long> own_threads() {
  std::set<long> ids;
  DIR* d = ::opendir("/proc/self/task");
  if (!d) return ids;
  while (dirent* e = ::readdir(d)) {
    char* end = nullptr;
    const long id = std::strtol(e->d_name, &end, 10);
    if (end != e->d_name && *end == '\0') ids.insert(id);
  }
  ::closedir(d);
  return ids;
}

void ReaderThreads::after_start() {
  started_.clear();
  for (long id : own_threads())
    if (!before_.count(id)) started_.insert(id);
}

bool ReaderThreads::wait_gone(std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const std::set<long> now = own_threads();
    bool alive = false;
    for (long id : started_) alive = alive || now.count(id);
    if (!alive) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace bianmin::drivers::docscan
