// Sealing of resident data at rest with the device key.
//
// Sealed layout: version(1) | suite(1) | nonce | ciphertext | tag
//   standard: nonce 12 bytes, AES-256-GCM tag 16 bytes
//   gm:       IV 16 bytes, SM4-CTR ciphertext, HMAC-SM3 tag 32 bytes over
//             version|suite|IV|len(aad)|aad|ciphertext (encrypt-then-MAC)
// The associated data binds a ciphertext to its place (for example the
// application's client_id), so sealed values cannot be swapped between rows.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "crypto/suite.h"

namespace bianmin::crypto {

class Sealer {
 public:
  // `master` is the 32-byte device key; subkeys are derived per purpose.
  static Result<Sealer> create(Suite suite, std::string_view master);

  Suite suite() const { return suite_; }
  std::string seal(std::string_view plaintext, std::string_view aad) const;
  // Error "seal_invalid" when the data was altered, sealed for another place,
  // or sealed under another key.
  Result<std::string> open(std::string_view sealed, std::string_view aad) const;
  // Like open, into the caller's buffer (sealed.size() bytes always
  // suffice); the plaintext's length. GCM decrypts before it checks the
  // tag, so a failed open has had unauthenticated plaintext in `out`: on
  // any error every byte of `out` is overwritten before it is returned.
  Result<std::size_t> open_into(std::string_view sealed, std::string_view aad, std::span<char> out) const;
  // A MAC for tokens printed on receipts (unguessable without the device key).
  Digest token_mac(std::string_view data) const;
  // A MAC for the audit chain's head anchor (audit/anchor.h): a subkey of
  // its own, so that no other use of the device key can produce one.
  Digest anchor_mac(std::string_view data) const;
  // A MAC naming a credential (a technician's ID card number) without
  // keeping it: ID numbers are too few to hash unkeyed.
  Digest credential_mac(std::string_view data) const;

 private:
  Sealer(Suite s, std::string enc, std::string mac, std::string token, std::string anchor, std::string credential)
      : suite_(s), enc_key_(std::move(enc)), mac_key_(std::move(mac)), token_key_(std::move(token)),
        anchor_key_(std::move(anchor)), credential_key_(std::move(credential)) {}
  Result<std::size_t> decrypt_into(std::string_view sealed, std::string_view aad, std::span<char> out) const;
  Suite suite_;
  std::string enc_key_;
  std::string mac_key_;
  std::string token_key_;
  std::string anchor_key_;
  std::string credential_key_;
};

}  // namespace bianmin::crypto
