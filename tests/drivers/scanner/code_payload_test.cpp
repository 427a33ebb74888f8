// The core's payload parser: our own receipt URLs, everything else opaque,
// sanitised text.
#include <gtest/gtest.h>

#include "base/bytes.h"
#include "domain/code_payload.h"

namespace bianmin::domain {
namespace {

const ReceiptUrlPattern& pattern() {
  static const auto p = *ReceiptUrlPattern::compile("https://zwfw.example.gov.cn/q/{receipt_no}?t={token}");
  return p;
}

TEST(CodePayload, OurReceiptUrlGivesReceiptNumberAndToken) {
  auto p = parse_code_payload("https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA", pattern());
  ASSERT_EQ(p.kind, PayloadKind::receipt) << p.reject_reason;
  EXPECT_EQ(p.receipt->receipt_no, "K03-20261122-0042");
  EXPECT_EQ(p.receipt->token, "Zm9vYmFyYmF6cXV4cXV1eA");
  // Host case does not matter, a scanner's CR/LF suffix neither.
  auto q = parse_code_payload("HTTPS://ZWFW.EXAMPLE.GOV.CN/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA\r\n", pattern());
  EXPECT_EQ(q.kind, PayloadKind::receipt);
}

TEST(CodePayload, MalformedReceiptUrlsAreRejected) {
  for (const char* bad : {
           "https://zwfw.example.gov.cn/q/K03-20261322-0042?t=Zm9vYmFyYmF6cXV4cXV1eA",   // month 13
           "https://zwfw.example.gov.cn/q/K03-20260230-0042?t=Zm9vYmFyYmF6cXV4cXV1eA",   // 30 February
           "https://zwfw.example.gov.cn/q/K03-20261122-0000?t=Zm9vYmFyYmF6cXV4cXV1eA",   // sequence 0
           "https://zwfw.example.gov.cn/q/K03-20261122-42?t=Zm9vYmFyYmF6cXV4cXV1eA",     // short sequence
           "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9v%2FYmFy",              // percent-encoding
           "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA&x=1",  // extra parameter
           "https://zwfw.example.gov.cn/q/K03-20261122-0042",                           // no token
           "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=short",                   // token too short
           "https://zwfw.example.gov.cn/q/../admin",
           "https://zwfw.example.gov.cn/Q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA",   // path is case-sensitive
       }) {
    auto p = parse_code_payload(bad, pattern());
    if (std::string(bad).find("/Q/") != std::string::npos) {
      EXPECT_EQ(p.kind, PayloadKind::text) << bad;  // not under our prefix at all
      continue;
    }
    EXPECT_EQ(p.kind, PayloadKind::rejected) << bad;
    EXPECT_FALSE(p.receipt);
    EXPECT_FALSE(p.reject_reason.empty());
  }
}

TEST(CodePayload, EverythingElseIsOpaqueSanitisedText) {
  auto p = parse_code_payload("https://other.example.org/licence/123", pattern());
  EXPECT_EQ(p.kind, PayloadKind::text);
  EXPECT_EQ(p.text, "https://other.example.org/licence/123");
  // Terminal escapes, C1 CSI, bidi override, NUL, bad UTF-8: nothing that
  // could steer a log viewer, the screen or the printer gets through.
  const std::string evil = std::string("\x1b[2J\xc2\x9b" "31m\xe2\x80\xae" "evil\0x\xff\x1d", 20);
  auto e = parse_code_payload(evil, pattern());
  EXPECT_EQ(e.kind, PayloadKind::text);
  EXPECT_TRUE(is_valid_utf8(e.text));
  for (unsigned char c : e.text) EXPECT_TRUE(c >= 0x20 && c != 0x7F) << static_cast<int>(c);
  EXPECT_EQ(e.text, "\xe2\x90\x9b[2J\xef\xbf\xbd" "31m\xef\xbf\xbd" "evil\xe2\x90\x80x\xef\xbf\xbd\xe2\x90\x9d");
  EXPECT_EQ(e.raw_bytes, evil.size());
}

TEST(CodePayload, LongTextIsCutAtACharacterBoundary) {
  std::string s;
  for (int i = 0; i < 600; ++i) s += "证";
  PayloadLimits lim;
  lim.max_text_bytes = 100;
  auto p = parse_code_payload(s, pattern(), lim);
  EXPECT_TRUE(p.truncated);
  EXPECT_LE(p.text.size(), 100u);
  EXPECT_TRUE(is_valid_utf8(p.text));
  EXPECT_EQ(p.text.substr(p.text.size() - 3), "…");
  bool cut = false;
  EXPECT_EQ(sanitize_text("abc", 1, &cut), "a");
  EXPECT_TRUE(cut);
}

TEST(CodePayload, TemplatesFromConfigurationAreChecked) {
  EXPECT_FALSE(ReceiptUrlPattern::compile("https://x/{token}"));                   // no receipt number
  EXPECT_FALSE(ReceiptUrlPattern::compile("https://x/{receipt_no}{token}"));       // adjacent
  EXPECT_FALSE(ReceiptUrlPattern::compile("{receipt_no}"));                        // no fixed prefix
  EXPECT_FALSE(ReceiptUrlPattern::compile("https://x/{receipt_no} ?t={token}"));   // space
  auto p = ReceiptUrlPattern::compile("https://q.example/r/{token}/{receipt_no}");
  ASSERT_TRUE(p);
  auto m = p->match("https://q.example/r/abc-DEF_123/K03-20261122-0042");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->token, "abc-DEF_123");
  EXPECT_EQ(m->receipt_no, "K03-20261122-0042");
  EXPECT_TRUE(is_receipt_no("K00-20240229-12345"));
  EXPECT_FALSE(is_receipt_no("K00-20230229-0001"));
  EXPECT_FALSE(is_receipt_no("-20261122-0042"));
  EXPECT_FALSE(is_receipt_no("K03_X-20261122-0042"));
}

}  // namespace
}  // namespace bianmin::domain
