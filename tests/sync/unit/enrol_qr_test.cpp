// The enrolment QR payload: what a technician's scan hands `bianmin enroll`.
#include <gtest/gtest.h>

#include "common/enrol_qr.h"

namespace bianmin::sync {
namespace {

const std::string kFp = "3f1c0a9be2d4467a8c5b1e0f9d2a7c6b5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b";

TEST(EnrolQr, RoundTripsWhatTheCentralPrints) {
  const EnrolQr qr{"https://10.0.0.5:8443", "7KQ2-9XTA-44PM", kFp};
  const std::string text = format_enrol_qr(qr);
  EXPECT_EQ(text, "bianmin-enrol:?central=https://10.0.0.5:8443&code=7KQ2-9XTA-44PM&ca=sha256:" + kFp);
  auto back = parse_enrol_qr(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->central_url, qr.central_url);
  EXPECT_EQ(back->code, qr.code);
  EXPECT_EQ(back->ca_fingerprint, kFp);
}

TEST(EnrolQr, AcceptsWhatScannersAndOtherCentralsDo) {
  // Upper-cased by a scanner, parameters in another order, a colon-separated
  // upper-case fingerprint, percent-encoding, a trailing newline (keyboard
  // wedge Enter) and a parameter a later central added.
  std::string colons;
  for (std::size_t i = 0; i < kFp.size(); i += 2) colons += (i ? ":" : "") + kFp.substr(i, 2);
  for (auto& c : colons) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto r = parse_enrol_qr("BIANMIN-ENROL:?ca=SHA256:" + colons +
                          "&hall=%E6%A2%81%E5%AE%B6%E5%A2%A9&code=AB%2DCD&central=https%3A%2F%2Fzwfw.example.cn/\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->central_url, "https://zwfw.example.cn");
  EXPECT_EQ(r->code, "AB-CD");
  EXPECT_EQ(r->ca_fingerprint, kFp);
}

TEST(EnrolQr, RefusesWhatCannotBeTrusted) {
  const std::string ok = "&code=C1&ca=sha256:" + kFp;
  for (const std::string& bad : std::vector<std::string>{
           "",
           "https://example.cn/?central=x",                                   // some other QR code
           "bianmin-enrol:central=https://a" + ok,                            // no '?'
           "bianmin-enrol:?central=http://a" + ok,                            // not https: never downgrade
           "bianmin-enrol:?central=https://" + ok,                            // no host
           "bianmin-enrol:?central=https://a&code=C1",                        // no CA: nothing to pin
           "bianmin-enrol:?central=https://a&code=C1&ca=sha1:" + kFp,         // other algorithm
           "bianmin-enrol:?central=https://a&code=C1&ca=sha256:" + kFp.substr(2),  // short
           "bianmin-enrol:?central=https://a&central=https://b" + ok,         // twice: which?
           "bianmin-enrol:?central=https://a&code=&ca=sha256:" + kFp,         // empty code
           "bianmin-enrol:?central=https://a%2" + ok,                         // truncated escape
           "bianmin-enrol:?central=https://a%20b" + ok,                       // space in the URL
           "bianmin-enrol:?central=https://a&code=C%0A1&ca=sha256:" + kFp,    // control character
           "bianmin-enrol:?central=https://a" + ok + "&x=" + std::string(3000, 'x'),  // too long
       }) {
    auto r = parse_enrol_qr(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, "input_invalid");
    }
  }
}

}  // namespace
}  // namespace bianmin::sync
