#include "base/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <openssl/rand.h>

#include "base/bytes.h"

namespace bianmin::fs {

Error errno_error(std::string_view op, const std::string& path, int err) {
  std::string code = (err == ENOSPC || err == EDQUOT) ? "disk_full"
                     : err == ENOENT                  ? "not_found"
                     : (err == EACCES || err == EPERM) ? "permission_denied"
                                                       : "io_error";
  std::string msg = std::string(op) + " " + path + ": " + std::strerror(err);
  if (code == "disk_full") msg += " (the storage is full; nothing already stored was lost)";
  return make_error(code, msg);
}

Error errno_error(std::string_view op, const std::string& path) {
  return errno_error(op, path, errno);
}

Status make_dirs(const std::string& path, unsigned mode) {
  if (path.empty()) return {};
  std::string cur;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    cur = path.substr(0, pos);
    if (cur.empty()) continue;
    if (::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST) return errno_error("mkdir", cur);
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno_error("stat", path);
  if (!S_ISDIR(st.st_mode)) return make_error("io_error", path + " exists and is not a directory");
  return {};
}

Status fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_error("open", dir);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return errno_error("fsync", dir, err);
  return {};
}

Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("open", path);
  std::string out;
  char buf[65536];
  // A file may hold a resident's data (an application to submit, a script
  // standing in for one): the copy on the stack goes with the call.
  struct Scrub {
    char* p;
    std::size_t n;
    ~Scrub() { cleanse(p, n); }
  } scrub{buf, sizeof buf};
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return errno_error("read", path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) {
      ::close(fd);
      secure_wipe(out);
      return make_error("too_large", path + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return out;
}

namespace {

Status write_all(int fd, std::string_view bytes, const std::string& path) {
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("write", path);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return {};
}

std::string random_suffix() {
  unsigned char b[8];
  RAND_bytes(b, sizeof b);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : b) {
    s += hex[c >> 4];
    s += hex[c & 15];
  }
  return s;
}

}  // namespace

namespace {

Status write_impl(const std::string& tmp_dir, const std::string& dir, const std::string& name,
                  std::string_view bytes, unsigned mode, bool exclusive) {
  const std::string tmp = tmp_dir + "/" + name + "." + random_suffix() + ".tmp";
  const std::string dst = dir + "/" + name;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return errno_error("create", tmp);
  Status st = write_all(fd, bytes, tmp);
  if (st && ::fsync(fd) != 0) st = errno_error("fsync", tmp);
  if (::close(fd) != 0 && st) st = errno_error("close", tmp);
  if (st && exclusive) {
    if (::link(tmp.c_str(), dst.c_str()) != 0)
      st = errno == EEXIST ? make_error("exists", dst + " already exists") : errno_error("link", dst);
    ::unlink(tmp.c_str());
  } else if (st && ::rename(tmp.c_str(), dst.c_str()) != 0) {
    st = errno_error("rename", tmp);
  }
  if (!st) {
    ::unlink(tmp.c_str());
    return st;
  }
  return fsync_dir(dir);
}

}  // namespace

Status write_durably(const std::string& tmp_dir, const std::string& dir, const std::string& name,
                     std::string_view bytes, unsigned mode) {
  return write_impl(tmp_dir, dir, name, bytes, mode, false);
}

Status create_durably(const std::string& tmp_dir, const std::string& dir, const std::string& name,
                      std::string_view bytes, unsigned mode) {
  return write_impl(tmp_dir, dir, name, bytes, mode, true);
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Result<bool> restrict_mode(const std::string& path, unsigned allowed) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    return errno_error("stat", path);
  }
  if (S_ISLNK(st.st_mode)) return false;  // chmod would follow it somewhere else
  const auto mode = static_cast<unsigned>(st.st_mode) & 07777;
  if ((mode & ~allowed) == 0) return false;
  if (::chmod(path.c_str(), mode & allowed) != 0) return errno_error("chmod", path);
  return true;
}

Result<std::vector<std::string>> list_files(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return errno_error("opendir", dir);
  std::vector<std::string> out;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.' && (e->d_name[1] == 0 || (e->d_name[1] == '.' && e->d_name[2] == 0)))
      continue;
    std::string full = dir + "/" + e->d_name;
    struct stat st {};
    if (::lstat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode)) out.emplace_back(e->d_name);
  }
  ::closedir(d);
  return out;
}

}  // namespace bianmin::fs
