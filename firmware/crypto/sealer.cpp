#include "crypto/sealer.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

#include "base/bytes.h"

namespace bianmin::crypto {
namespace {

constexpr uint8_t kVersion = 1;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* u8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* u8(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(u8(out), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  return out;
}

// Runs a stream cipher (GCM body or CTR) over `in` into `out`, which has
// room for it: these modes give exactly as many bytes as they take.
void run_cipher(EVP_CIPHER_CTX* ctx, std::string_view in, std::span<char> out) {
  int len = 0;
  if (!in.empty() && EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, u8(in),
                                      static_cast<int>(in.size())) != 1)
    throw std::runtime_error("cipher update");
  if (static_cast<std::size_t>(len) != in.size()) throw std::runtime_error("cipher length");
}

std::string run_cipher(EVP_CIPHER_CTX* ctx, std::string_view in) {
  std::string out(in.size(), '\0');
  run_cipher(ctx, in, out);
  return out;
}

std::string gm_tag(const std::string& mac_key, std::string_view header, std::string_view aad,
                   std::string_view ct) {
  std::string m;
  m.reserve(header.size() + 8 + aad.size() + ct.size());
  m.append(header);
  uint64_t n = aad.size();
  for (int i = 7; i >= 0; --i) m += static_cast<char>((n >> (8 * i)) & 0xff);
  m.append(aad);
  m.append(ct);
  Digest d = hmac(Suite::gm, mac_key, m);
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace

Result<Sealer> Sealer::create(Suite suite, std::string_view master) {
  if (master.size() != 32) return make_error("key_invalid", "device key must be 32 bytes");
  const std::size_t enc_len = suite == Suite::gm ? 16 : 32;
  return Sealer(suite, derive_key(suite, master, "seal-enc", enc_len),
                derive_key(suite, master, "seal-mac"), derive_key(suite, master, "receipt-token"),
                derive_key(suite, master, "audit-anchor"), derive_key(suite, master, "credential"));
}

std::string Sealer::seal(std::string_view pt, std::string_view aad) const {
  Ctx ctx(EVP_CIPHER_CTX_new());
  std::string out;
  out += static_cast<char>(kVersion);
  out += static_cast<char>(suite_);
  if (suite_ == Suite::standard) {
    std::string nonce = random_bytes(12);
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u8(enc_key_), u8(nonce)) != 1)
      throw std::runtime_error("gcm init");
    int len = 0;
    if (!aad.empty() &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, u8(aad), static_cast<int>(aad.size())) != 1)
      throw std::runtime_error("gcm aad");
    std::string ct = run_cipher(ctx.get(), pt);
    unsigned char fin[16];
    if (EVP_EncryptFinal_ex(ctx.get(), fin, &len) != 1) throw std::runtime_error("gcm final");
    std::string tag(16, '\0');
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, u8(tag)) != 1)
      throw std::runtime_error("gcm tag");
    out += nonce;
    out += ct;
    out += tag;
    return out;
  }
  std::string iv = random_bytes(16);
  if (EVP_EncryptInit_ex(ctx.get(), EVP_sm4_ctr(), nullptr, u8(enc_key_), u8(iv)) != 1)
    throw std::runtime_error("sm4 init");
  std::string ct = run_cipher(ctx.get(), pt);
  out += iv;
  std::string tag = gm_tag(mac_key_, out, aad, ct);
  out += ct;
  out += tag;
  return out;
}

Result<std::string> Sealer::open(std::string_view sealed, std::string_view aad) const {
  std::string pt(sealed.size(), '\0');
  auto n = open_into(sealed, aad, pt);
  if (!n) return n.take_error();
  pt.resize(*n);  // the bytes cut off were never written
  return pt;
}

Result<std::size_t> Sealer::open_into(std::string_view sealed, std::string_view aad, std::span<char> out) const {
  auto n = decrypt_into(sealed, aad, out);
  if (!n) cleanse(out.data(), out.size());
  return n;
}

Result<std::size_t> Sealer::decrypt_into(std::string_view sealed, std::string_view aad, std::span<char> out) const {
  auto bad = [] { return make_error("seal_invalid", "sealed data is damaged or was sealed with another key"); };
  if (sealed.size() < 2 || static_cast<uint8_t>(sealed[0]) != kVersion) return bad();
  if (static_cast<uint8_t>(sealed[1]) != static_cast<uint8_t>(suite_))
    return make_error("seal_invalid", "sealed with another crypto suite");
  Ctx ctx(EVP_CIPHER_CTX_new());
  if (suite_ == Suite::standard) {
    if (sealed.size() < 2 + 12 + 16) return bad();
    std::string_view nonce = sealed.substr(2, 12);
    std::string_view ct = sealed.substr(14, sealed.size() - 14 - 16);
    std::string tag(sealed.substr(sealed.size() - 16));
    if (out.size() < ct.size()) return make_error("buffer_too_small", "the buffer cannot hold the plaintext");
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u8(enc_key_), u8(nonce)) != 1)
      return bad();
    int len = 0;
    if (!aad.empty() &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, u8(aad), static_cast<int>(aad.size())) != 1)
      return bad();
    run_cipher(ctx.get(), ct, out);
    unsigned char fin[16];
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, u8(tag)) != 1) return bad();
    if (EVP_DecryptFinal_ex(ctx.get(), fin, &len) != 1) return bad();  // open_into wipes `out`
    return ct.size();
  }
  // SM4-CTR with HMAC-SM3: the tag is checked before anything is decrypted.
  if (sealed.size() < 2 + 16 + 32) return bad();
  std::string_view header = sealed.substr(0, 18);
  std::string_view ct = sealed.substr(18, sealed.size() - 18 - 32);
  std::string_view tag = sealed.substr(sealed.size() - 32);
  if (out.size() < ct.size()) return make_error("buffer_too_small", "the buffer cannot hold the plaintext");
  if (!constant_time_equal(gm_tag(mac_key_, header, aad, ct), tag)) return bad();
  if (EVP_DecryptInit_ex(ctx.get(), EVP_sm4_ctr(), nullptr, u8(enc_key_),
                         u8(sealed.substr(2, 16))) != 1)
    return bad();
  run_cipher(ctx.get(), ct, out);
  return ct.size();
}

Digest Sealer::token_mac(std::string_view data) const { return hmac(suite_, token_key_, data); }
Digest Sealer::anchor_mac(std::string_view data) const { return hmac(suite_, anchor_key_, data); }
Digest Sealer::credential_mac(std::string_view data) const { return hmac(suite_, credential_key_, data); }

}  // namespace bianmin::crypto
