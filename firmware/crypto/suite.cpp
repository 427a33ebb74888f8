#include "crypto/suite.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>

#include <stdexcept>

#include "base/bytes.h"

namespace bianmin::crypto {
namespace {

const EVP_MD* md(Suite s) { return s == Suite::gm ? EVP_sm3() : EVP_sha256(); }
const char* md_name(Suite s) { return s == Suite::gm ? "SM3" : "SHA256"; }

[[noreturn]] void fail(const char* what) {
  // OpenSSL failing on a fixed, valid algorithm is a broken platform.
  throw std::runtime_error(std::string("openssl: ") + what);
}

}  // namespace

std::optional<Suite> parse_suite(std::string_view name) {
  if (name == "standard") return Suite::standard;
  if (name == "gm") return Suite::gm;
  return std::nullopt;
}

const char* suite_name(Suite s) { return s == Suite::gm ? "gm" : "standard"; }
const char* hash_name(Suite s) { return s == Suite::gm ? "sm3" : "sha256"; }

Digest hash(Suite s, std::string_view data) {
  Digest out{};
  unsigned len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md(s), nullptr) != 1 || len != 32)
    fail("digest");
  return out;
}

std::string hash_hex(Suite s, std::string_view data) {
  Digest d = hash(s, data);
  return to_hex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

std::string sha256_hex(std::string_view data) { return hash_hex(Suite::standard, data); }

Digest hmac(Suite s, std::string_view key, std::string_view data) {
  Digest out{};
  unsigned len = 0;
  if (!HMAC(md(s), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len) ||
      len != 32)
    fail("hmac");
  return out;
}

std::string derive_key(Suite s, std::string_view master, std::string_view purpose,
                       std::size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (!kdf) fail("HKDF fetch");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (!ctx) fail("HKDF ctx");
  std::string salt = "bianmin-device-key-v1";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(md_name(s)), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(master.data()),
                                        master.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt.data(), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(purpose.data()),
                                        purpose.size()),
      OSSL_PARAM_construct_end()};
  std::string out(length, '\0');
  int rc = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (rc != 1) fail("HKDF derive");
  return out;
}

Hasher::Hasher(Suite s) : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), md(s), nullptr) != 1)
    fail("digest init");
}
Hasher::~Hasher() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Hasher::update(std::string_view data) {
  if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) != 1)
    fail("digest update");
}
Digest Hasher::finish() {
  Digest out{};
  unsigned len = 0;
  if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out.data(), &len) != 1) fail("digest final");
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bianmin::crypto
