#include "outbox/receipt_token.h"

#include <cstdint>

#include "crypto/sealer.h"

namespace bianmin::outbox {

std::string base64url(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                       (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (rest == 2) v |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (rest == 2) out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

namespace {
std::string token_of(const crypto::Digest& mac) {
  return base64url(std::string_view(reinterpret_cast<const char*>(mac.data()), kReceiptTokenBytes));
}
}  // namespace

std::string receipt_token(const crypto::Sealer& sealer, std::string_view client_id) {
  return token_of(sealer.token_mac("receipt-token-v2:" + std::string(client_id)));
}

std::string receipt_token_v1(crypto::Suite suite, std::string_view client_id) {
  return token_of(crypto::hmac(suite, client_id, "bianmin-receipt-token-v1"));
}

std::string receipt_query_url(std::string_view url_template, std::string_view receipt_no, std::string_view token) {
  std::string out;
  out.reserve(url_template.size() + receipt_no.size() + token.size());
  std::size_t i = 0;
  while (i < url_template.size()) {
    if (url_template.substr(i, 12) == "{receipt_no}") {
      out += receipt_no;
      i += 12;
    } else if (url_template.substr(i, 7) == "{token}") {
      out += token;
      i += 7;
    } else {
      out += url_template[i++];
    }
  }
  return out;
}

}  // namespace bianmin::outbox
