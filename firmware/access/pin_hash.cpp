#include "access/pin_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <optional>
#include <vector>

#include "base/bytes.h"

namespace bianmin::access {
namespace {

constexpr int kLogN = 15, kR = 8, kP = 1;
constexpr std::size_t kSaltBytes = 16, kHashBytes = 32;

bool scrypt(std::string_view pin, std::string_view salt, int log_n, int r, int p,
            unsigned char* out, std::size_t out_len) {
  const uint64_t n = uint64_t{1} << log_n;
  // 128 · r · N bytes, and some room: OpenSSL refuses above maxmem.
  const uint64_t maxmem = 128 * static_cast<uint64_t>(r) * n * 2 + (1u << 20);
  return EVP_PBE_scrypt(pin.data(), pin.size(), reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n, static_cast<uint64_t>(r),
                        static_cast<uint64_t>(p), maxmem, out, out_len) == 1;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t at = 0;
  for (;;) {
    const auto next = s.find(sep, at);
    parts.push_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) return parts;
    at = next + 1;
  }
}

}  // namespace

Status check_pin_format(std::string_view pin) {
  if (pin.size() < 6 || pin.size() > 12) return make_error("input_invalid", "a PIN has 6 to 12 digits");
  for (char c : pin)
    if (c < '0' || c > '9') return make_error("input_invalid", "a PIN has digits only");
  return {};
}

Result<std::string> hash_pin(std::string_view pin) {
  BIANMIN_TRY(check_pin_format(pin));
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1)
    return make_error("crypto_error", "no random bytes");
  unsigned char out[kHashBytes];
  if (!scrypt(pin, salt, kLogN, kR, kP, out, sizeof out)) return make_error("crypto_error", "scrypt failed");
  std::string s = "scrypt$" + std::to_string(kLogN) + "$" + std::to_string(kR) + "$" + std::to_string(kP) + "$" +
                  to_hex(salt) + "$" + to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
  OPENSSL_cleanse(out, sizeof out);
  return s;
}

bool verify_pin(std::string_view pin, std::string_view stored) {
  const auto parts = split(stored, '$');
  if (parts.size() != 6 || parts[0] != "scrypt") return false;
  int log_n = 0, r = 0, p = 0;
  try {
    log_n = std::stoi(std::string(parts[1]));
    r = std::stoi(std::string(parts[2]));
    p = std::stoi(std::string(parts[3]));
  } catch (...) {
    return false;
  }
  // Bounds that keep a corrupt (or planted) row from costing gigabytes.
  if (log_n < 10 || log_n > 20 || r < 1 || r > 16 || p < 1 || p > 4) return false;
  const auto salt = from_hex(parts[4]);
  const auto want = from_hex(parts[5]);
  if (!salt || !want || want->empty() || want->size() > 64) return false;
  std::vector<unsigned char> got(want->size());
  if (!scrypt(pin, *salt, log_n, r, p, got.data(), got.size())) return false;
  const bool same = CRYPTO_memcmp(got.data(), want->data(), got.size()) == 0;
  OPENSSL_cleanse(got.data(), got.size());
  return same;
}

}  // namespace bianmin::access
