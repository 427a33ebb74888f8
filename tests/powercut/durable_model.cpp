#include "powercut/durable_model.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bianmin::testing::powercut {
namespace {

bool kept_type(mode_t mode) { return S_ISREG(mode) || S_ISDIR(mode); }

bool fail(std::string* error, const std::string& what, const std::string& path) {
  if (error) *error = what + " " + path + ": " + std::strerror(errno);
  return false;
}

bool read_whole(const std::string& path, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out.clear();
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return n == 0;
}

}  // namespace

bool DurableModel::load(const std::string& live_root, std::string* error) {
  std::lock_guard lock(mu_);
  nodes_.clear();
  dirty_.clear();
  struct stat st {};
  if (::lstat(live_root.c_str(), &st) != 0) return fail(error, "lstat", live_root);
  root_ = st.st_ino;
  nodes_[root_].mode = st.st_mode;
  return load_dir(live_root, root_, error);
}

bool DurableModel::load_dir(const std::string& path, Id id, std::string* error) {
  DIR* d = ::opendir(path.c_str());
  if (!d) return fail(error, "opendir", path);
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d))
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) names.emplace_back(e->d_name);
  ::closedir(d);
  for (const auto& name : names) {
    const std::string child = path + "/" + name;
    struct stat st {};
    if (::lstat(child.c_str(), &st) != 0) return fail(error, "lstat", child);
    if (!kept_type(st.st_mode)) continue;
    nodes_[id].entries[name] = st.st_ino;
    Node& n = nodes_[st.st_ino];
    n.mode = st.st_mode;
    if (S_ISDIR(st.st_mode)) {
      if (!load_dir(child, st.st_ino, error)) return false;
    } else if (!read_whole(child, n.bytes)) {
      return fail(error, "read", child);
    }
  }
  return true;
}

void DurableModel::wrote(ino_t ino, off_t offset, std::size_t length) {
  std::lock_guard lock(mu_);
  dirty_[ino].ranges.emplace_back(offset, length);
}

void DurableModel::truncated(ino_t ino, off_t size) {
  std::lock_guard lock(mu_);
  Dirty& d = dirty_[ino];
  if (d.shrunk_to < 0 || size < d.shrunk_to) d.shrunk_to = size;
}

bool DurableModel::file_synced(ino_t ino, int live_fd) {
  std::lock_guard lock(mu_);
  ++file_syncs_;
  struct stat st {};
  if (::fstat(live_fd, &st) != 0) return false;
  Node& n = nodes_[ino];
  auto it = dirty_.find(ino);
  // Built aside and kept only when every byte could be read: a failed sync
  // changes nothing.
  std::string bytes = n.bytes;
  // Bytes cut off by a truncation read as zeros if the file grows again.
  if (it != dirty_.end() && it->second.shrunk_to >= 0 && static_cast<std::size_t>(it->second.shrunk_to) < bytes.size())
    bytes.resize(static_cast<std::size_t>(it->second.shrunk_to));
  bytes.resize(static_cast<std::size_t>(st.st_size));
  if (it != dirty_.end()) {
    for (const auto& [offset, length] : it->second.ranges) {
      if (offset >= st.st_size) continue;
      const std::size_t n_bytes = std::min<std::size_t>(length, static_cast<std::size_t>(st.st_size - offset));
      std::size_t done = 0;
      while (done < n_bytes) {
        const ssize_t r =
            ::pread(live_fd, bytes.data() + offset + done, n_bytes - done, offset + static_cast<off_t>(done));
        if (r <= 0) return false;  // the dirty ranges stay: a later sync may succeed
        done += static_cast<std::size_t>(r);
      }
    }
    dirty_.erase(it);
  }
  n.mode = st.st_mode;
  n.bytes = std::move(bytes);
  return true;
}

void DurableModel::dir_synced(const std::string& live_root, const std::string& path) {
  std::lock_guard lock(mu_);
  ++dir_syncs_;
  const std::string dir = live_root + path;
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::map<std::string, Id> entries;
  while (const dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    struct stat cs {};
    if (::fstatat(::dirfd(d), e->d_name, &cs, AT_SYMLINK_NOFOLLOW) != 0 || !kept_type(cs.st_mode)) continue;
    entries[e->d_name] = cs.st_ino;
    // A name synced before its file ever was: the file is there, empty.
    if (!nodes_.count(cs.st_ino)) nodes_[cs.st_ino].mode = cs.st_mode;
  }
  ::closedir(d);
  Node& n = nodes_[st.st_ino];
  n.mode = st.st_mode;
  n.entries = std::move(entries);
}

bool DurableModel::referenced(Id id) const {
  for (const auto& [_, node] : nodes_)
    for (const auto& [name, child] : node.entries)
      if (child == id) return true;
  return false;
}

void DurableModel::name_going(ino_t ino) {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(ino);
  if (it == nodes_.end()) return;
  if (!referenced(ino)) {
    nodes_.erase(it);  // nothing durable names it: the inode number is free for a new file
    dirty_.erase(ino);
    return;
  }
  const Id kept = next_private_++;
  nodes_[kept] = std::move(it->second);
  nodes_.erase(ino);
  dirty_.erase(ino);
  for (auto& [_, node] : nodes_)
    for (auto& [name, child] : node.entries)
      if (child == ino) child = kept;
}

bool DurableModel::materialize(const std::string& target, std::string* error) const {
  std::lock_guard lock(mu_);
  auto root = nodes_.find(root_);
  if (root == nodes_.end()) {
    if (error) *error = "no root";
    return false;
  }
  return materialize_dir(target, root->second, error);
}

bool DurableModel::materialize_dir(const std::string& path, const Node& dir, std::string* error) const {
  for (const auto& [name, id] : dir.entries) {
    const std::string child = path + "/" + name;
    auto it = nodes_.find(id);
    static const Node kEmptyFile{S_IFREG | 0600, {}, {}};
    const Node& n = it == nodes_.end() ? kEmptyFile : it->second;
    if (S_ISDIR(n.mode)) {
      if (::mkdir(child.c_str(), n.mode & 07777) != 0) return fail(error, "mkdir", child);
      if (!materialize_dir(child, n, error)) return false;
      continue;
    }
    const int fd = ::open(child.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, n.mode & 07777);
    if (fd < 0) return fail(error, "create", child);
    std::size_t done = 0;
    while (done < n.bytes.size()) {
      const ssize_t w = ::write(fd, n.bytes.data() + done, n.bytes.size() - done);
      if (w <= 0) {
        ::close(fd);
        return fail(error, "write", child);
      }
      done += static_cast<std::size_t>(w);
    }
    ::fchmod(fd, n.mode & 07777);
    ::close(fd);
  }
  return true;
}

}  // namespace bianmin::testing::powercut
