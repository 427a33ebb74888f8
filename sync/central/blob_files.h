// Small helpers of the central's blob handlers (central_blobs.cpp,
// central_blob_patch.cpp).
#pragma once

#include <httplib.h>
#include <sys/stat.h>

#include <cstdint>
#include <string>

namespace bianmin::sync::central {

// Size of a partial blob: the offset the central holds (0 when absent).
inline int64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

inline void set_offset(httplib::Response& res, int64_t offset, int64_t length) {
  res.set_header("Upload-Offset", std::to_string(offset));
  if (length >= 0) res.set_header("Upload-Length", std::to_string(length));
  res.set_header("Cache-Control", "no-store");
}

}  // namespace bianmin::sync::central
