// Fuzz target: the scanned-code payload parser of the core (receipt query
// URLs and sanitised opaque text). Checks the promises, not just "no crash":
// the text is valid UTF-8 without control characters and within its limit,
// and a receipt carries a well-formed receipt number and token.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "domain/code_payload.h"

using namespace bianmin::domain;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto pattern = *ReceiptUrlPattern::compile("https://zwfw.example.gov.cn/q/{receipt_no}?t={token}");
  static const auto odd = *ReceiptUrlPattern::compile("HTTP://h.example/{token}-x-{receipt_no}/");
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  PayloadLimits lim;
  lim.max_text_bytes = 1 + size % 300;
  for (const auto* p : {&pattern, &odd}) {
    const CodePayload c = parse_code_payload(raw, *p, lim);
    if (c.text.size() > lim.max_text_bytes) __builtin_trap();
    if (!bianmin::is_valid_utf8(c.text)) __builtin_trap();
    for (unsigned char ch : c.text)
      if (ch < 0x20 || ch == 0x7F) __builtin_trap();
    if (c.kind == PayloadKind::receipt && (!c.receipt || !is_receipt_no(c.receipt->receipt_no))) __builtin_trap();
  }
  // The template itself comes from configuration (enrolment): parse it too.
  (void)ReceiptUrlPattern::compile(raw);
  return 0;
}
