// The device key: 32 random bytes created on first start, mode 0600, never
// leaving the terminal. Everything resident-related at rest is sealed with
// keys derived from it (crypto/sealer.h).
#pragma once

#include <string>

#include "base/result.h"

namespace bianmin::crypto {

// Loads the key at `path`, creating it (and its directory, 0700) when absent.
// Errors: "key_invalid" for a file of the wrong size, I/O errors otherwise.
Result<std::string> load_or_create_device_key(const std::string& path);

}  // namespace bianmin::crypto
