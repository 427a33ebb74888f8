// `bianmin scan page --sane DEVICE` against SANE's test backend: the
// camera's output (JSON fields, --out, materials) from a scanner, the
// feeder's pages numbered, the configured scanner, and the exit codes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "drivers/camera/scan_cli_fixture.h"
#include "drivers/docscan/sane_test_config.h"
#include "support/testing.h"

namespace bianmin::drivers::docscan {
namespace {

using json = nlohmann::json;
const testing::SaneTestConfig g_sane_config;  // inherited by the bianmin processes

class ScanSane : public drivers::testing::ScanCliTest {};

TEST_F(ScanSane, HelpNamesSane) {
  auto r = bm({"scan", "page", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("SANE"), std::string::npos);
  EXPECT_NE(r.out.find("--sane"), std::string::npos);
  EXPECT_NE(r.out.find("--adf"), std::string::npos);
}

TEST_F(ScanSane, AFlatbedPageIsWrittenAndDescribedAsACameraPageIs) {
  auto r = bm({"scan", "page", "--sane", "test:0", "--dpi", "100", "--mode", "grey", "--out", dir.file("page.jpg"),
               "--thumb", dir.file("thumb.jpg"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  for (const char* k : {"sha256", "bytes", "width", "height", "dpi", "mime", "paper", "budget_bytes", "thumbnail_bytes"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["scanner"], "test:0");
  EXPECT_EQ(j["source"], "flatbed");
  EXPECT_EQ(j["paper"], "A4");
  EXPECT_EQ(j["mime"], "image/jpeg");
  EXPECT_LE(j["bytes"].get<int>(), j["budget_bytes"].get<int>());
  EXPECT_EQ(bianmin::testing::read_file(dir.file("page.jpg")).size(), j["bytes"].get<std::size_t>());
  EXPECT_FALSE(bianmin::testing::read_file(dir.file("thumb.jpg")).empty());
}

TEST_F(ScanSane, FeederPagesAreNumberedAndStoredAsPagesOfOneMaterial) {
  const std::string client_id = queued_application();
  ASSERT_FALSE(client_id.empty());
  auto r = bm({"scan", "page", "--sane", "test:0", "--adf", "--pages", "2", "--dpi", "50", "--out", dir.file("p.jpg"),
               "--material", "m1", "--client-id", client_id, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["page_count"], 2);
  EXPECT_EQ(j["source"], "adf");
  ASSERT_EQ(j["pages"].size(), 2u);
  EXPECT_EQ(j["pages"][0]["material"]["seq"], 2);  // after the page given at submission
  EXPECT_EQ(j["pages"][1]["material"]["seq"], 3);
  EXPECT_EQ(j["pages"][1]["out"], dir.file("p-2.jpg"));
  EXPECT_FALSE(bianmin::testing::read_file(dir.file("p-1.jpg")).empty());
  EXPECT_FALSE(bianmin::testing::read_file(dir.file("p-2.jpg")).empty());
}

TEST_F(ScanSane, TheConfiguredDocumentScannerIsUsedWithoutACamera) {
  auto r = bm({"--set", "devices.document_scanner=sane:test:1", "scan", "page", "--dpi", "50", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["scanner"], "test:1");
}

TEST_F(ScanSane, ExitCodesSayWhatWentWrong) {
  auto absent = bm({"scan", "page", "--sane", "nosuch:0"});
  EXPECT_EQ(absent.exit_code, 4);
  EXPECT_NE(absent.err.find("[scanner_absent]"), std::string::npos) << absent.err;
  // A 20 mm square, so that the backend's reader has ended before the
  // error's sane_cancel (README, "Document scanners: SANE": sanei_thread).
  const std::vector<std::string> small{"--sane-option", "br-x=20", "--sane-option", "br-y=20"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), small.begin(), small.end());
    return bm(args);
  };
  auto jam = with({"scan", "page", "--sane", "test:0", "--dpi", "50", "--sane-option", "read-return-value=SANE_STATUS_JAMMED"});
  EXPECT_EQ(jam.exit_code, 4);
  EXPECT_NE(jam.err.find("[scanner_jammed]"), std::string::npos) << jam.err;
  auto empty = with({"scan", "page", "--sane", "test:0", "--adf", "--dpi", "50", "--sane-option",
                     "read-return-value=SANE_STATUS_NO_DOCS"});
  EXPECT_EQ(empty.exit_code, 3);
  EXPECT_NE(empty.err.find("[scanner_no_docs]"), std::string::npos) << empty.err;
  EXPECT_EQ(bm({"scan", "page", "--sane", "test:0", "--pages", "2"}).exit_code, 1);  // --pages needs --adf
  EXPECT_EQ(bm({"scan", "page", "--camera", "sim:x.jpg", "--adf"}).exit_code, 1);
  EXPECT_EQ(bm({"scan", "page", "--sane", "test:0", "--camera", "sim:x.jpg"}).exit_code, 1);
}

}  // namespace
}  // namespace bianmin::drivers::docscan
