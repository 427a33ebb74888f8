// `bianmin scan code` as a technician or the kiosk runs it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scanner/sim_scanner.h"
#include "support/testing.h"

namespace bianmin::drivers::scanner {
namespace {

using json = nlohmann::json;
const std::string kUrl = "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA";

class ScanCode : public ::testing::Test {
 protected:
  bianmin::testing::TempDir dir;
  bianmin::testing::CommandResult bm(std::vector<std::string> args) {
    args.insert(args.begin(), "--data-dir=" + dir.path());
    args.insert(args.begin(), "--config=" + dir.file("none.toml"));
    bianmin::testing::write_file(dir.file("none.toml"), "");
    return bianmin::testing::run_bianmin(args);
  }
};

TEST_F(ScanCode, ReceiptQrFromTheCameraGivesTheReceiptNumber) {
  auto sim = bm({"sim", "camera", "--scene", "phone,seed=2,rot=10,qr=" + kUrl, "--out", dir.file("phone.jpg")});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  auto r = bm({"scan", "code", "--camera", "sim:" + dir.file("phone.jpg"), "--timeout", "10", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["format"], "QRCode");
  EXPECT_EQ(j["kind"], "receipt");
  EXPECT_EQ(j["receipt_no"], "K03-20261122-0042");
  EXPECT_EQ(j["token"], "Zm9vYmFyYmF6cXV4cXV1eA");
  EXPECT_EQ(j["text"], kUrl);
}

TEST_F(ScanCode, FromSerialAndKeyboardScanners) {
  SimScannerOptions o;
  o.kind = ScannerSpec::Kind::serial;
  o.suffix = *Suffix::parse("crlf");
  auto ser = SimScanner::create(o);
  ASSERT_TRUE(ser);
  ASSERT_TRUE((*ser)->scan(std::string("abc\x1b[31m\x1d") + "x"));
  auto r = bm({"scan", "code", "--scanner", (*ser)->spec(), "--suffix", "crlf", "--timeout", "5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["kind"], "text");
  EXPECT_EQ(j["text"], "abc\xe2\x90\x9b[31m\xe2\x90\x9dx");  // controls shown, never passed on

  SimScannerOptions k;
  k.try_uinput = false;
  auto kbd = SimScanner::create(k);
  ASSERT_TRUE(kbd);
  ASSERT_TRUE((*kbd)->scan(kUrl));
  auto r2 = bm({"scan", "code", "--scanner", (*kbd)->spec(), "--timeout", "5", "--json"});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_EQ(json::parse(r2.out)["receipt_no"], "K03-20261122-0042");
}

TEST_F(ScanCode, MalformedReceiptNoCodeAndNoDevice) {
  SimScannerOptions o;
  o.kind = ScannerSpec::Kind::hidraw;
  auto sim = SimScanner::create(o);
  ASSERT_TRUE(sim);
  ASSERT_TRUE((*sim)->scan("https://zwfw.example.gov.cn/q/K03-20261399-0042?t=Zm9vYmFyYmF6cXV4cXV1eA"));
  auto r = bm({"scan", "code", "--scanner", (*sim)->spec(), "--timeout", "5", "--json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["kind"], "rejected");
  EXPECT_TRUE(j.contains("error"));
  EXPECT_FALSE(j.contains("receipt_no"));

  auto none = bm({"scan", "code", "--scanner", (*sim)->spec(), "--timeout", "0.3", "--json"});
  EXPECT_EQ(none.exit_code, 3) << none.err;
  auto absent = bm({"scan", "code", "--scanner", "serial:" + dir.file("ttyACM9"), "--timeout", "1"});
  EXPECT_EQ(absent.exit_code, 4) << absent.err;
  EXPECT_EQ(bm({"scan", "code", "--timeout", "1"}).exit_code, 1);
}

TEST_F(ScanCode, ConfiguredReceiptUrlIsTheOneRecognised) {
  SimScannerOptions o;
  o.kind = ScannerSpec::Kind::serial;
  auto sim = SimScanner::create(o);
  ASSERT_TRUE(sim);
  ASSERT_TRUE((*sim)->scan("https://other.example/r/K03-20261122-0042/tok_123456"));
  auto r = bm({"--set", "receipt.query_url=https://other.example/r/{receipt_no}/{token}", "scan", "code", "--scanner",
               (*sim)->spec(), "--timeout", "5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["kind"], "receipt");
  EXPECT_EQ(j["token"], "tok_123456");
}

}  // namespace
}  // namespace bianmin::drivers::scanner
