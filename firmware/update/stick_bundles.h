// Bundles a technician brings on a USB stick, for service mode's update
// screen: where the stick is, which bundles it carries, and a copy of one
// onto the data partition before RAUC reads it. RAUC takes a bundle only
// from a file no other user can write and that it may take ownership of,
// which a FAT stick (no owners, often mounted for the desktop user) cannot
// promise; the copy is the service user's own file, 0600.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"

namespace bianmin::update {

// The first stick mounted under /media or /run/media (udisks and the
// image's automount put them there) that this process may access with
// `mode` (R_OK, W_OK); "" when none.
std::string mounted_stick(int mode);
// A path as /proc/mounts writes it, with a space as \040 (a tab, a newline
// and a backslash as \011, \012, \134): a stick labelled "USB DISK".
std::string unescape_mount_path(const std::string& s);

struct StickBundle {
  std::string path, name;
  int64_t bytes = 0;
};
// The *.raucb files in `dir` and its direct subdirectories, by name.
std::vector<StickBundle> find_bundles(const std::string& dir);

// Copies `from` to <data_dir>/updates-usb/<its name>, durably, leaving at
// least `keep_free` bytes free on the partition (code "disk_full"
// otherwise, before anything is written). Removes what an earlier copy
// left there. Returns the copy's path.
Result<std::string> stage_bundle(const std::string& from, const std::string& data_dir, int64_t keep_free);
// Deletes <data_dir>/updates-usb and what is in it.
void unstage_bundles(const std::string& data_dir);

}  // namespace bianmin::update
