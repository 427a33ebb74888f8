// The crypto suite of a terminal. `standard`: AES-256-GCM, HMAC-SHA-256,
// SHA-256. `gm` (national cryptography, GM/T): SM4-CTR with HMAC-SM3
// (encrypt-then-MAC, because OpenSSL 3.0 has no SM4-GCM), SM3 hashes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bianmin::crypto {

enum class Suite : uint8_t { standard = 1, gm = 2 };

std::optional<Suite> parse_suite(std::string_view name);  // "standard" | "gm"
const char* suite_name(Suite s);
// Name of the suite hash as the central interface spells it: "sha256" | "sm3".
const char* hash_name(Suite s);

using Digest = std::array<uint8_t, 32>;

Digest hash(Suite s, std::string_view data);
std::string hash_hex(Suite s, std::string_view data);
std::string sha256_hex(std::string_view data);
Digest hmac(Suite s, std::string_view key, std::string_view data);
// HKDF (RFC 5869) with the suite hash: a 32-byte subkey for one purpose.
std::string derive_key(Suite s, std::string_view master, std::string_view purpose,
                       std::size_t length = 32);

// Streaming hash for files that are not held in memory at once.
class Hasher {
 public:
  explicit Hasher(Suite s);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void update(std::string_view data);
  Digest finish();

 private:
  void* ctx_;
};

bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace bianmin::crypto
