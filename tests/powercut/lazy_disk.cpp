#define FUSE_USE_VERSION 31
#include "powercut/lazy_disk.h"

#include <dirent.h>
#include <fcntl.h>
#include <fuse.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace bianmin::testing::powercut {
namespace {

LazyDisk& disk() { return *static_cast<LazyDisk*>(fuse_get_context()->private_data); }
std::string live(const char* path) { return disk().live() + path; }
int neg_errno() { return -errno; }

ino_t ino_of(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}
ino_t ino_of(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? st.st_ino : 0;
}

void* op_init(fuse_conn_info*, fuse_config* cfg) {
  cfg->use_ino = 1;        // SQLite tells files apart by inode
  cfg->kernel_cache = 0;
  cfg->attr_timeout = 0;   // one live tree, seen only through this mount:
  cfg->entry_timeout = 0;  // no caching that could hide a change
  cfg->negative_timeout = 0;
  return fuse_get_context()->private_data;
}

int op_getattr(const char* path, struct stat* st, fuse_file_info* fi) {
  const int r = fi ? ::fstat(static_cast<int>(fi->fh), st) : ::lstat(live(path).c_str(), st);
  return r == 0 ? 0 : neg_errno();
}

int op_readdir(const char* path, void* buf, fuse_fill_dir_t fill, off_t, fuse_file_info*, fuse_readdir_flags) {
  DIR* d = ::opendir(live(path).c_str());
  if (!d) return neg_errno();
  while (const dirent* e = ::readdir(d)) fill(buf, e->d_name, nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  ::closedir(d);
  return 0;
}

int op_open(const char* path, fuse_file_info* fi) {
  const int fd = ::open(live(path).c_str(), fi->flags | O_CLOEXEC);
  if (fd < 0) return neg_errno();
  if (fi->flags & O_TRUNC) disk().model().truncated(ino_of(fd), 0);
  fi->fh = static_cast<uint64_t>(fd);
  return 0;
}

int op_create(const char* path, mode_t mode, fuse_file_info* fi) {
  const int fd = ::open(live(path).c_str(), fi->flags | O_CREAT | O_CLOEXEC, mode);
  if (fd < 0) return neg_errno();
  if (fi->flags & O_TRUNC) disk().model().truncated(ino_of(fd), 0);
  fi->fh = static_cast<uint64_t>(fd);
  return 0;
}

int op_read(const char*, char* buf, size_t size, off_t offset, fuse_file_info* fi) {
  const ssize_t n = ::pread(static_cast<int>(fi->fh), buf, size, offset);
  return n < 0 ? neg_errno() : static_cast<int>(n);
}

int op_write(const char*, const char* buf, size_t size, off_t offset, fuse_file_info* fi) {
  const int fd = static_cast<int>(fi->fh);
  const ssize_t n = ::pwrite(fd, buf, size, offset);
  if (n < 0) return neg_errno();
  disk().model().wrote(ino_of(fd), offset, static_cast<std::size_t>(n));
  return static_cast<int>(n);
}

int op_truncate(const char* path, off_t size, fuse_file_info* fi) {
  const int r = fi ? ::ftruncate(static_cast<int>(fi->fh), size) : ::truncate(live(path).c_str(), size);
  if (r != 0) return neg_errno();
  disk().model().truncated(fi ? ino_of(static_cast<int>(fi->fh)) : ino_of(live(path)), size);
  return 0;
}

int op_fallocate(const char*, int mode, off_t offset, off_t length, fuse_file_info* fi) {
  const int fd = static_cast<int>(fi->fh);
  if (::fallocate(fd, mode, offset, length) != 0) return neg_errno();
  disk().model().wrote(ino_of(fd), offset, static_cast<std::size_t>(length));  // zeros or kept bytes: copy at sync
  return 0;
}

int op_fsync(const char*, int, fuse_file_info* fi) {
  const int fd = static_cast<int>(fi->fh);
  // The program's descriptor may be write-only; read the bytes through a
  // descriptor of our own on the same file.
  const int readable = ::open(("/proc/self/fd/" + std::to_string(fd)).c_str(), O_RDONLY | O_CLOEXEC);
  if (readable < 0) return neg_errno();
  const bool synced = disk().model().file_synced(ino_of(fd), readable);
  ::close(readable);
  return synced ? 0 : -EIO;
}

int op_fsyncdir(const char* path, int, fuse_file_info*) {
  disk().model().dir_synced(disk().live(), std::strcmp(path, "/") == 0 ? "" : path);
  return 0;
}

int op_release(const char*, fuse_file_info* fi) {
  ::close(static_cast<int>(fi->fh));
  return 0;
}

int op_unlink(const char* path) {
  const std::string p = live(path);
  disk().model().name_going(ino_of(p));
  return ::unlink(p.c_str()) == 0 ? 0 : neg_errno();
}

int op_rmdir(const char* path) {
  const std::string p = live(path);
  const ino_t ino = ino_of(p);
  if (::rmdir(p.c_str()) != 0) return neg_errno();
  disk().model().name_going(ino);
  return 0;
}

int op_mkdir(const char* path, mode_t mode) { return ::mkdir(live(path).c_str(), mode) == 0 ? 0 : neg_errno(); }

// Sockets (syncd's wake socket) and other special files pass through; the
// model keeps only files and directories.
int op_mknod(const char* path, mode_t mode, dev_t dev) {
  return ::mknod(live(path).c_str(), mode, dev) == 0 ? 0 : neg_errno();
}

int op_rename(const char* from, const char* to, unsigned int flags) {
  const std::string f = live(from), t = live(to);
  const ino_t replaced = (flags & RENAME_NOREPLACE) ? 0 : ino_of(t);
  if (replaced && !(flags & RENAME_EXCHANGE) && replaced != ino_of(f)) disk().model().name_going(replaced);
  return ::renameat2(AT_FDCWD, f.c_str(), AT_FDCWD, t.c_str(), flags) == 0 ? 0 : neg_errno();
}

int op_chmod(const char* path, mode_t mode, fuse_file_info* fi) {
  const int r = fi ? ::fchmod(static_cast<int>(fi->fh), mode) : ::chmod(live(path).c_str(), mode);
  return r == 0 ? 0 : neg_errno();
}

int op_chown(const char* path, uid_t uid, gid_t gid, fuse_file_info*) {
  return ::lchown(live(path).c_str(), uid, gid) == 0 ? 0 : neg_errno();
}

int op_utimens(const char* path, const timespec tv[2], fuse_file_info* fi) {
  const int r = fi ? ::futimens(static_cast<int>(fi->fh), tv) : ::utimensat(AT_FDCWD, live(path).c_str(), tv, AT_SYMLINK_NOFOLLOW);
  return r == 0 ? 0 : neg_errno();
}

int op_statfs(const char*, struct statvfs* st) {
  return ::statvfs(disk().live().c_str(), st) == 0 ? 0 : neg_errno();
}

int op_access(const char* path, int mask) { return ::access(live(path).c_str(), mask) == 0 ? 0 : neg_errno(); }

fuse_operations operations() {
  fuse_operations ops{};
  ops.init = op_init;
  ops.getattr = op_getattr;
  ops.readdir = op_readdir;
  ops.open = op_open;
  ops.create = op_create;
  ops.read = op_read;
  ops.write = op_write;
  ops.truncate = op_truncate;
  ops.fallocate = op_fallocate;
  ops.fsync = op_fsync;
  ops.fsyncdir = op_fsyncdir;
  ops.release = op_release;
  ops.unlink = op_unlink;
  ops.rmdir = op_rmdir;
  ops.mkdir = op_mkdir;
  ops.mknod = op_mknod;
  ops.rename = op_rename;
  ops.chmod = op_chmod;
  ops.chown = op_chown;
  ops.utimens = op_utimens;
  ops.statfs = op_statfs;
  ops.access = op_access;
  return ops;
}

}  // namespace

std::unique_ptr<LazyDisk> LazyDisk::mount(const std::string& live, const std::string& mountpoint, std::string* error) {
  std::unique_ptr<LazyDisk> d(new LazyDisk());
  d->live_ = live;
  d->mountpoint_ = mountpoint;
  if (!d->model_.load(live, error)) return nullptr;
  static const fuse_operations ops = operations();
  // Single-threaded loop: operations reach the model in the order the
  // kernel sends them. default_permissions: the kernel checks modes as a
  // disk would (the programs run as root here; allow_other for the rest).
  std::vector<std::string> args = {"bianmin-lazy-disk", "-o", "default_permissions,allow_other,fsname=lazydisk"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  fuse_args fargs = FUSE_ARGS_INIT(static_cast<int>(argv.size()), argv.data());
  d->fuse_ = fuse_new(&fargs, &ops, sizeof ops, d.get());
  if (!d->fuse_) {
    if (error) *error = "fuse_new failed";
    return nullptr;
  }
  if (fuse_mount(d->fuse_, mountpoint.c_str()) != 0) {
    if (error) *error = "cannot mount FUSE on " + mountpoint + " (is /dev/fuse there, and are we root?)";
    fuse_destroy(d->fuse_);
    d->fuse_ = nullptr;
    return nullptr;
  }
  d->mounted_ = true;
  LazyDisk* raw = d.get();
  d->loop_ = std::thread([raw] { fuse_loop(raw->fuse_); });
  return d;
}

void LazyDisk::unmount() {
  if (!mounted_) return;
  mounted_ = false;
  fuse_exit(fuse_);
  fuse_unmount(fuse_);  // the loop's read of /dev/fuse ends
  if (loop_.joinable()) loop_.join();
  fuse_destroy(fuse_);
  fuse_ = nullptr;
}

LazyDisk::~LazyDisk() { unmount(); }

bool LazyDisk::cut(const std::string& target, std::string* error) {
  unmount();
  return model_.materialize(target, error);
}

}  // namespace bianmin::testing::powercut
