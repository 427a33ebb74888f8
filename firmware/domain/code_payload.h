// What a scanned code (QR, barcode) says, as far as the terminal is
// concerned: either one of this system's own receipt query URLs, from which
// the receipt number and token are taken, or opaque text.
//
// Every payload comes from outside (a resident's phone, a paper, a scanner
// that types whatever it read), so the text handed on is always sanitised:
// valid UTF-8, no control characters (C0 and DEL become the visible Control
// Pictures ␀…␟ ␡; C1, bidirectional overrides, line separators, BOM and tag
// characters become U+FFFD), and length-limited at a character boundary. It
// can be written to logs, drawn on screen and printed as it is.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bianmin::domain {

struct ReceiptQuery {
  std::string receipt_no;  // K03-20261122-0042
  std::string token;       // URL-safe, as printed in the receipt's QR code
};

enum class PayloadKind {
  receipt,   // one of our receipt query URLs, well-formed
  text,      // anything else: opaque, sanitised text
  rejected,  // looks like our receipt URL (same scheme, host and path) but is malformed
};
const char* payload_kind_name(PayloadKind k);  // "receipt" | "text" | "rejected"

struct CodePayload {
  PayloadKind kind = PayloadKind::text;
  std::string text;            // sanitised, length-limited; always set
  bool truncated = false;      // the text was cut to the limit
  std::size_t raw_bytes = 0;   // length of the payload as scanned
  std::optional<ReceiptQuery> receipt;  // kind == receipt
  std::string reject_reason;   // kind == rejected: what is wrong, for people
};

struct PayloadLimits {
  std::size_t max_text_bytes = 1024;  // of sanitised UTF-8 output
};

// The configured receipt query URL (config `receipt.query_url`, e.g.
// "https://zwfw.example.gov.cn/q/{receipt_no}?t={token}") compiled into a
// matcher. {receipt_no} must occur exactly once, {token} at most once, and
// two placeholders must be separated by literal text.
class ReceiptUrlPattern {
 public:
  static Result<ReceiptUrlPattern> compile(std::string_view url_template);

  // The part before the first placeholder ("https://zwfw.example.gov.cn/q/").
  const std::string& prefix() const { return literals_.front(); }
  // True when `s` starts with the prefix (scheme and host compared without
  // case): such a payload claims to be ours and must then match exactly.
  bool claims(std::string_view s) const;
  // Receipt number and token when `s` matches; otherwise why not.
  Result<ReceiptQuery> match(std::string_view s) const;

 private:
  enum class Field { receipt_no, token };
  std::vector<std::string> literals_;  // literals_.size() == fields_.size() + 1
  std::vector<Field> fields_;
  std::size_t host_end_ = 0;  // prefix()[0, host_end_) is compared without case
};

// K03-20261122-0042: terminal code (1–16 letters or digits), a valid
// calendar date, a sequence number of 4–9 digits that is not zero.
bool is_receipt_no(std::string_view s);
// 8–128 characters of the base64url alphabet.
bool is_receipt_token(std::string_view s);

// Valid UTF-8 without control characters, at most `max_bytes` bytes (a cut
// ends in "…"). See the header comment for the replacements.
std::string sanitize_text(std::string_view raw, std::size_t max_bytes, bool* truncated = nullptr);

// Classifies one scanned payload. Surrounding ASCII whitespace (a scanner's
// CR/LF suffix left over) is ignored when matching receipt URLs.
CodePayload parse_code_payload(std::string_view raw, const ReceiptUrlPattern& pattern,
                               const PayloadLimits& limits = {});

}  // namespace bianmin::domain
