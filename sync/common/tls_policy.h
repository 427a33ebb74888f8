// The TLS suites both ends of the central interface accept (issue 16): on
// TLS 1.2 only ECDHE key exchange with an AEAD cipher (AES-GCM or
// ChaCha20-Poly1305), so no CBC-mode MAC-then-encrypt suite (Lucky13 and
// its kin) and no static-RSA key exchange can be negotiated. TLS 1.3 suites
// are all AEAD; OpenSSL's default TLS 1.3 list stays.
#pragma once

namespace bianmin::sync {

inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace bianmin::sync
