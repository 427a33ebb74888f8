// The token printed in a receipt's QR code. It lets a resident query the
// progress of one application (GET /api/v1/progress?receipt_no=…&token=…)
// without a login, so it must be unguessable: a MAC of the client_id under
// the device's receipt-token key. The printer and the sync client (which
// hands the token to the central with the application) compute it here, so
// both always agree.
#pragma once

#include <string>
#include <string_view>

namespace bianmin::crypto { class Sealer; }

namespace bianmin::outbox {

// Bytes of the MAC kept in the token: 128 bits, well above the 80 the
// receipt needs, and 22 URL-safe characters that still fit a small QR code.
constexpr std::size_t kReceiptTokenBytes = 16;

// URL-safe base64 (RFC 4648 §5, no padding) of the first kReceiptTokenBytes
// of sealer.token_mac("receipt:" + client_id).
std::string receipt_token(const crypto::Sealer& sealer, std::string_view client_id);

// The receipt query URL: `url_template` with every {receipt_no} and {token}
// replaced. Receipt numbers and tokens are URL-safe as they are.
std::string receipt_query_url(std::string_view url_template, std::string_view receipt_no,
                              std::string_view token);

// RFC 4648 §5 base64url without padding.
std::string base64url(std::string_view bytes);

}  // namespace bianmin::outbox
