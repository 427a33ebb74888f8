// What a power cut leaves of a directory tree: the model behind the power-cut
// torture test (lazy_disk.h). Everything a program wrote reaches the "live"
// tree at once, as the page cache would hold it; only what was made durable
// survives a cut:
//
//   - a file's bytes and size as of its last fsync/fdatasync;
//   - a directory's entries (names → files) as of its last fsync.
//
// That is POSIX's promise and no more: a created file whose directory was
// never synced is gone, a rename not followed by a directory sync is undone,
// written but unsynced bytes are lost. (ext4 keeps more in practice, e.g. the
// data of a file renamed over another; the model is stricter on purpose.)
//
// Files are identified by inode number in the live tree. When a live file
// goes away (unlink, rename over it) while the durable tree still names it,
// its durable state moves to a private id first, so that a new file given
// the same inode number cannot change what the cut leaves.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace bianmin::testing::powercut {

class DurableModel {
 public:
  // Everything under `live_root` is taken as durable (the state after the
  // previous cut's restart).
  bool load(const std::string& live_root, std::string* error);

  // Bookkeeping of the operations on the live tree. `path` is relative to
  // the root ("" or "/a/b").
  void wrote(ino_t ino, off_t offset, std::size_t length);
  void truncated(ino_t ino, off_t size);
  // `readable_fd` must be open for reading (the program's own may be
  // write-only); false when the file's bytes could not be read: the FUSE
  // layer then fails the fsync, as a disk error would.
  bool file_synced(ino_t ino, int readable_fd);
  void dir_synced(const std::string& live_root, const std::string& path);
  // Before the live tree loses the name that points at `ino`.
  void name_going(ino_t ino);

  // Writes the durable tree (what the disk holds after the cut) to an empty
  // directory `target`.
  bool materialize(const std::string& target, std::string* error) const;

  // Counters for the report.
  std::uint64_t file_syncs() const { return file_syncs_; }
  std::uint64_t dir_syncs() const { return dir_syncs_; }

 private:
  using Id = std::uint64_t;  // an inode number, or a private id ≥ kPrivate
  static constexpr Id kPrivate = Id{1} << 62;

  struct Node {
    mode_t mode = 0;                 // type and permissions
    std::string bytes;              // a file's durable content
    std::map<std::string, Id> entries;  // a directory's durable entries
  };
  struct Dirty {
    std::vector<std::pair<off_t, std::size_t>> ranges;
    off_t shrunk_to = -1;  // the smallest size a truncation left, -1: none
  };

  bool load_dir(const std::string& path, Id id, std::string* error);
  bool materialize_dir(const std::string& path, const Node& dir, std::string* error) const;
  bool referenced(Id id) const;

  mutable std::mutex mu_;
  Id root_ = 0;
  Id next_private_ = kPrivate;
  std::unordered_map<Id, Node> nodes_;
  std::unordered_map<Id, Dirty> dirty_;
  std::uint64_t file_syncs_ = 0, dir_syncs_ = 0;
};

}  // namespace bianmin::testing::powercut
