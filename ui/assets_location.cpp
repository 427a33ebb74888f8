#include "assets_location.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>

#ifndef BIANMIN_ASSETS_DIR
#define BIANMIN_ASSETS_DIR "/usr/share/bianmin"
#endif

namespace bianmin::ui {
namespace {

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string executable_dir() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  std::string path(buf, static_cast<std::size_t>(n));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

std::string default_assets_dir() {
  const std::string exe = executable_dir();
  if (!exe.empty()) {
    const std::string installed = exe + "/../share/bianmin";
    if (is_dir(installed + "/i18n")) return installed;
  }
  return BIANMIN_ASSETS_DIR;
}

}  // namespace bianmin::ui
