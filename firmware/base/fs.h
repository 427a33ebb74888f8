// File-system primitives with the durability the store relies on.
//
// ENOSPC and EDQUOT become Error{code "disk_full"} everywhere so that every
// layer can tell a resident "the terminal is full, call staff" instead of a
// raw errno.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bianmin::fs {

// Error from the current errno, with the operation and path named.
Error errno_error(std::string_view op, const std::string& path);
Error errno_error(std::string_view op, const std::string& path, int err);

// mkdir -p with the given mode for every directory it creates.
Status make_dirs(const std::string& path, unsigned mode = 0700);
Status fsync_dir(const std::string& dir);
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = 256u << 20);

// Writes `bytes` to `dir/name` so that after return the file and its name are
// on stable storage: write to a temp file in `tmp_dir` (same file system),
// fsync, rename, fsync the directory. On failure the temp file is removed and
// any existing `dir/name` is untouched.
Status write_durably(const std::string& tmp_dir, const std::string& dir,
                     const std::string& name, std::string_view bytes, unsigned mode = 0600);
// Like write_durably, but never replaces: when `dir/name` already exists the
// call fails with code "exists" and leaves it untouched (link, not rename),
// so two processes racing to create the same file agree on one content.
Status create_durably(const std::string& tmp_dir, const std::string& dir,
                      const std::string& name, std::string_view bytes, unsigned mode = 0600);

bool exists(const std::string& path);
// Clears every permission bit of `path` outside `allowed` (e.g. 0700 for a
// directory of the owner's). True when it had to; a missing path is fine.
Result<bool> restrict_mode(const std::string& path, unsigned allowed);
// Names of regular files in a directory (not recursive).
Result<std::vector<std::string>> list_files(const std::string& dir);

}  // namespace bianmin::fs
