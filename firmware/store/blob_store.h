// Material blobs on disk: one file per blob under <dir>/<aa>/<sha256>, named
// by the SHA-256 of the plaintext and holding it sealed with the device key.
//
// Writes go temp (<dir>/tmp) → fsync → rename → fsync of the directory, so a
// blob file either exists whole or not at all. Writers hold a shared lock on
// <dir>/.lock from writing the file until the row that references it is
// committed; start-up recovery takes the lock exclusively, so it never
// deletes another process's write in flight.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/sealer.h"

namespace bianmin::store {

struct BlobRef {
  std::string sha256;  // lowercase hex of the plaintext
  int64_t bytes = 0;   // plaintext length
};

class BlobStore {
 public:
  BlobStore(std::string dir, const crypto::Sealer* sealer) : dir_(std::move(dir)), sealer_(sealer) {}

  Status init();  // creates the directories (0700)
  Result<BlobRef> put(std::string_view plaintext);
  // Reads, unseals and verifies the hash. "not_found", "blob_corrupt".
  Result<std::string> get(const std::string& sha256) const;
  bool has(const std::string& sha256) const;
  Status remove(const std::string& sha256);
  std::string path_of(const std::string& sha256) const;
  const std::string& dir() const { return dir_; }
  std::string tmp_dir() const { return dir_ + "/tmp"; }

  // Every blob file present (hashes).
  Result<std::vector<std::string>> list() const;

  // Shared lock held while a blob is written and its row committed.
  class WriteLock {
   public:
    explicit WriteLock(int fd) : fd_(fd) {}
    ~WriteLock();
    WriteLock(WriteLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;
    WriteLock& operator=(WriteLock&&) = delete;

   private:
    int fd_;
  };
  Result<WriteLock> lock_shared() const;
  // Non-blocking exclusive lock; "busy" when another process is writing.
  Result<WriteLock> try_lock_exclusive() const;

 private:
  std::string dir_;
  const crypto::Sealer* sealer_;
};

}  // namespace bianmin::store
