#include "store/blob_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/fs.h"

namespace bianmin::store {
namespace {

std::string aad_for(const std::string& sha) { return "blob:" + sha; }

}  // namespace

BlobStore::WriteLock::~WriteLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

Status BlobStore::init() {
  BIANMIN_TRY(fs::make_dirs(dir_, 0700));
  BIANMIN_TRY(fs::make_dirs(tmp_dir(), 0700));
  return {};
}

std::string BlobStore::path_of(const std::string& sha) const {
  return dir_ + "/" + sha.substr(0, 2) + "/" + sha;
}

Result<BlobRef> BlobStore::put(std::string_view plaintext) {
  BlobRef ref{crypto::sha256_hex(plaintext), static_cast<int64_t>(plaintext.size())};
  if (has(ref.sha256)) return ref;  // content-addressed: already stored whole
  const std::string sub = dir_ + "/" + ref.sha256.substr(0, 2);
  BIANMIN_TRY(fs::make_dirs(sub, 0700));
  std::string sealed = sealer_->seal(plaintext, aad_for(ref.sha256));
  BIANMIN_TRY(fs::write_durably(tmp_dir(), sub, ref.sha256, sealed));
  // The new subdirectory's entry must be durable too.
  BIANMIN_TRY(fs::fsync_dir(dir_));
  return ref;
}

Result<std::string> BlobStore::get(const std::string& sha) const {
  if (!is_lower_hex(sha, 64)) return make_error("not_found", "not a blob hash: " + sha);
  BIANMIN_ASSIGN(std::string sealed, fs::read_file(path_of(sha), 128u << 20));
  auto plain = sealer_->open(sealed, aad_for(sha));
  if (!plain) return make_error("blob_corrupt", "blob " + sha + " is damaged: " + plain.error().message);
  if (crypto::sha256_hex(*plain) != sha)
    return make_error("blob_corrupt", "blob " + sha + " does not match its hash");
  return std::move(plain).value();
}

bool BlobStore::has(const std::string& sha) const {
  return is_lower_hex(sha, 64) && fs::exists(path_of(sha));
}

Status BlobStore::remove(const std::string& sha) {
  if (!is_lower_hex(sha, 64)) return make_error("not_found", "not a blob hash: " + sha);
  const std::string p = path_of(sha);
  if (::unlink(p.c_str()) != 0 && errno != ENOENT) return fs::errno_error("unlink", p);
  return {};
}

Result<std::vector<std::string>> BlobStore::list() const {
  std::vector<std::string> out;
  for (int i = 0; i < 256; ++i) {
    static const char* hex = "0123456789abcdef";
    std::string sub = dir_ + "/" + hex[i >> 4] + hex[i & 15];
    if (!fs::exists(sub)) continue;
    BIANMIN_ASSIGN(auto names, fs::list_files(sub));
    for (auto& n : names)
      if (is_lower_hex(n, 64)) out.push_back(std::move(n));
  }
  return out;
}

Result<BlobStore::WriteLock> BlobStore::lock_shared() const {
  const std::string p = dir_ + "/.lock";
  int fd = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fs::errno_error("open", p);
  if (::flock(fd, LOCK_SH) != 0) {
    int err = errno;
    ::close(fd);
    return fs::errno_error("flock", p, err);
  }
  return WriteLock(fd);
}

Result<BlobStore::WriteLock> BlobStore::try_lock_exclusive() const {
  const std::string p = dir_ + "/.lock";
  int fd = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fs::errno_error("open", p);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return make_error("busy", "another process is writing blobs");
    return fs::errno_error("flock", p, err);
  }
  return WriteLock(fd);
}

}  // namespace bianmin::store
