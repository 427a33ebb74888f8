#include "update/stick_bundles.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

#include "base/fs.h"

namespace bianmin::update {

namespace {

constexpr const char* kStaging = "updates-usb";

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() > tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void scan(const std::string& dir, int depth, std::vector<StickBundle>& out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.empty() || name[0] == '.') continue;  // also "." and ".."; hidden files are no one's bundle
    const std::string path = dir + "/" + name;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode) && depth > 0) scan(path, depth - 1, out);
    else if (S_ISREG(st.st_mode) && ends_with(name, ".raucb")) out.push_back({path, name, static_cast<int64_t>(st.st_size)});
  }
  ::closedir(d);
}

void remove_dir_files(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") ::unlink((dir + "/" + name).c_str());
  }
  ::closedir(d);
}

}  // namespace

std::string unescape_mount_path(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool octal = s[i] == '\\' && s.size() - i >= 4 && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
                       s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7';
    if (octal) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string mounted_stick(int mode) {
  std::ifstream mounts("/proc/mounts");
  std::string dev, raw_dir, type, rest;
  while (mounts >> dev >> raw_dir >> type && std::getline(mounts, rest)) {
    const std::string dir = unescape_mount_path(raw_dir);
    const bool removable_place = dir.rfind("/media/", 0) == 0 || dir.rfind("/run/media/", 0) == 0;
    const bool stick_fs = type == "vfat" || type == "exfat" || type == "ntfs" || type == "ntfs3" || type == "ext4";
    if (removable_place && stick_fs && ::access(dir.c_str(), mode) == 0) return dir;
  }
  return {};
}

std::vector<StickBundle> find_bundles(const std::string& dir) {
  std::vector<StickBundle> out;
  scan(dir, 1, out);
  std::sort(out.begin(), out.end(), [](const StickBundle& a, const StickBundle& b) { return a.path < b.path; });
  return out;
}

Result<std::string> stage_bundle(const std::string& from, const std::string& data_dir, int64_t keep_free) {
  const std::string dir = data_dir + "/" + kStaging;
  BIANMIN_TRY(fs::make_dirs(dir, 0700));
  remove_dir_files(dir);
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return fs::errno_error("open", from);
  struct stat st {};
  struct statvfs v {};
  if (::fstat(in, &st) != 0 || ::statvfs(dir.c_str(), &v) != 0) {
    const int err = errno;
    ::close(in);
    return fs::errno_error("stat", from, err);
  }
  const int64_t free = static_cast<int64_t>(v.f_bavail) * static_cast<int64_t>(v.f_frsize);
  if (free - st.st_size < keep_free) {
    ::close(in);
    return make_error("disk_full", "the data partition has " + std::to_string(free >> 20) + " MiB free; the bundle needs " +
                                       std::to_string(st.st_size >> 20) + " MiB and the store keeps " +
                                       std::to_string(keep_free >> 20) + " MiB");
  }
  const std::string name = from.substr(from.rfind('/') + 1);
  const std::string to = dir + "/" + name;
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    const int err = errno;
    ::close(in);
    return fs::errno_error("create", to, err);
  }
  std::string buf(1 << 20, '\0');
  bool ok = true;
  for (;;) {
    const ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = n == 0;
      break;
    }
    for (ssize_t done = 0; ok && done < n;) {
      const ssize_t w = ::write(out, buf.data() + done, static_cast<std::size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      ok = w > 0;
      done += std::max<ssize_t>(w, 0);
    }
    if (!ok) break;
  }
  const int err = errno;
  ok = ok && ::fsync(out) == 0;
  ::close(out);
  ::close(in);
  if (!ok) {
    ::unlink(to.c_str());
    return make_error(err == ENOSPC ? "disk_full" : "io", "cannot copy " + from + " onto the data partition (a stick "
                                                          "pulled out, or the disk full)");
  }
  BIANMIN_TRY(fs::fsync_dir(dir));
  return to;
}

void unstage_bundles(const std::string& data_dir) {
  const std::string dir = data_dir + "/" + kStaging;
  remove_dir_files(dir);
  ::rmdir(dir.c_str());
}

}  // namespace bianmin::update
