// The token printed in a receipt's QR code. It lets a resident query the
// progress of one application (GET /api/v1/progress?receipt_no=…&token=…)
// without a login, so it must be unguessable, and the central must be able
// to check it although it never sees the terminal's device key.
//
// Design: the token is a MAC keyed by the application's client_id,
//   token = base64url(first 16 bytes of HMAC-H(key = client_id,
//                                               "bianmin-receipt-token-v1")),
// H the terminal's suite hash (SHA-256, or SM3 for the gm suite). The
// client_id is a UUIDv7 with 74 random bits made on the terminal; it is not
// printed on the receipt and leaves the terminal only inside the
// application body over mutual TLS, so the token can be computed by the
// terminal (at once, offline, before the receipt prints) and by the central
// (when the application arrives; it knows the suite from enrolment), and
// otherwise only by someone who can already read the terminal's queue or
// logs, where client_ids appear for technicians. Nothing is added
// to the spec's request or response shapes, re-enrolment does not change
// the token of receipts already printed, and guessing one is a 2^74 online
// search against a central that answers 404 to every miss.
#pragma once

#include <string>
#include <string_view>

#include "crypto/suite.h"

namespace bianmin::crypto { class Sealer; }

namespace bianmin::outbox {

// Bytes of the MAC kept in the token: 128 bits, well above the 80 the
// receipt needs, and 22 URL-safe characters that still fit a small QR code.
constexpr std::size_t kReceiptTokenBytes = 16;

// The token above for one client_id.
std::string receipt_token(crypto::Suite suite, std::string_view client_id);
// Same, with the suite of this terminal's sealer (printer and sync client).
std::string receipt_token(const crypto::Sealer& sealer, std::string_view client_id);

// The receipt query URL: `url_template` with every {receipt_no} and {token}
// replaced. Receipt numbers and tokens are URL-safe as they are.
std::string receipt_query_url(std::string_view url_template, std::string_view receipt_no,
                              std::string_view token);

// RFC 4648 §5 base64url without padding.
std::string base64url(std::string_view bytes);

}  // namespace bianmin::outbox
