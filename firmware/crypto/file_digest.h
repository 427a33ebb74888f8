// The SHA-256 of a file read in pieces (a blob, an update bundle: larger
// than memory should hold), as lower-case hex.
#pragma once

#include <string>

#include "base/result.h"

namespace bianmin::crypto {

Result<std::string> sha256_hex_of_file(const std::string& path);

}  // namespace bianmin::crypto
