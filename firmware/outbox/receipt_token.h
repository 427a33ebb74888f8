// The token printed in a receipt's QR code. It lets a resident query the
// progress of one application (GET /api/v1/progress?receipt_no=…&token=…)
// without a login, so it must be unguessable by anyone who has not held the
// receipt, including whoever reads the terminal's logs or its unsealed
// tables (client_id and receipt_no sit there side by side for technicians).
//
// Design (v2): a MAC keyed by a subkey of the device key,
//   token = base64url(first 16 bytes of HMAC-H(key = HKDF(device key, "receipt-token"),
//                                               "receipt-token-v2:" || client_id)),
// H the terminal's suite hash. The terminal computes it at once, offline,
// before the receipt prints, and again whenever it needs it (it is never
// stored in clear nor logged). The central never sees the device key, so
// the application body carries the token as an extra member
// "receipt_token" (sealed at rest with the rest of the body, sent over
// mutual TLS only); the central keeps it and compares in constant time. A
// central that knows nothing of the member ignores it, as the spec has it
// ignore unknown fields.
//
// v1 (until this firmware) keyed the MAC with the client_id alone, which
// anyone reading the logs could recompute. Applications queued by v1
// firmware carry no "receipt_token"; the reference central derives their
// v1 token so that receipts already printed keep working.
#pragma once

#include <string>
#include <string_view>

#include "crypto/suite.h"

namespace bianmin::crypto { class Sealer; }

namespace bianmin::outbox {

// Bytes of the MAC kept in the token: 128 bits, well above the 80 the
// receipt needs, and 22 URL-safe characters that still fit a small QR code.
constexpr std::size_t kReceiptTokenBytes = 16;

// The token above for one client_id, with this terminal's device key.
std::string receipt_token(const crypto::Sealer& sealer, std::string_view client_id);
// The v1 token of an application that arrives without "receipt_token"
// (queued by older firmware); for the central only.
std::string receipt_token_v1(crypto::Suite suite, std::string_view client_id);

// The receipt query URL: `url_template` with every {receipt_no} and {token}
// replaced. Receipt numbers and tokens are URL-safe as they are.
std::string receipt_query_url(std::string_view url_template, std::string_view receipt_no,
                              std::string_view token);

// RFC 4648 §5 base64url without padding.
std::string base64url(std::string_view bytes);

}  // namespace bianmin::outbox
