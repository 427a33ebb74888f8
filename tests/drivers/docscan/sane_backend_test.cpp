// The SANE transport against SANE's own `test` backend (not a fake of
// ours): flatbed pages through the pipeline within the budget, the ADF
// fed until SANE_STATUS_NO_DOCS, an unknown device, cancel from another
// thread, and the backend's fault injection (read-return-value, padded
// lines, 1- and 16-bit samples, small reads) mapped or converted.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "docscan/sane_scanner.h"
#include "docscan/scan_material.h"
#include "drivers/docscan/sane_test_config.h"

namespace bianmin::drivers::docscan {
namespace {

// Before main: SANE reads its configuration at the first sane_init.
const testing::SaneTestConfig g_sane_config;

using Options = std::vector<std::pair<std::string, std::string>>;

// The test backend keeps its options per device for the whole process
// (ctest runs each test alone, a plain run of the binary does not): every
// scan sets its fault options back to the defaults first, then `faults`.
Options backend(const Options& faults = {}) {
  Options o{{"test-picture", "Grid"}, {"read-return-value", "Default"}, {"read-limit", "no"},
            {"read-delay", "no"},     {"ppl-loss", "0"}};
  o.insert(o.end(), faults.begin(), faults.end());
  return o;
}

ScanRequest request(int dpi, ScanMode mode, ScanSource source = ScanSource::flatbed, const Options& faults = {}) {
  ScanRequest r;
  r.device = "test:0";
  r.scan.dpi = dpi;
  r.scan.mode = mode;
  r.scan.source = source;
  r.scan.backend_options = backend(faults);
  return r;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The one test at the terminal's resolution: 300 dpi A4 grey (8.7 MB from
// the backend) becomes a 200 dpi page within the 300 kB budget.
TEST(SaneBackend, FlatbedGreyPageAt300DpiIsAnA4PageWithinTheBudget) {
  auto done = scan_material(request(300, ScanMode::grey));
  ASSERT_TRUE(done) << done.error().message;
  ASSERT_EQ(done->page_count(), 1);
  const MaterialPage& p = done->pages[0];
  EXPECT_EQ(p.mime, "image/jpeg");
  EXPECT_EQ(p.paper, "A4");
  EXPECT_NEAR(p.width_mm, 210, 1);
  EXPECT_NEAR(p.height_mm, 297, 1);
  EXPECT_EQ(p.dpi, 200);  // PageOptions' max_dpi, as for the camera
  EXPECT_NEAR(p.width, 1654, 2);
  EXPECT_NEAR(p.height, 2339, 2);
  EXPECT_LE(p.bytes.size(), p.budget_bytes);
  EXPECT_EQ(p.budget_bytes, 300'000u);
  EXPECT_FALSE(p.colour);
  EXPECT_FALSE(p.thumbnail.empty());
  EXPECT_FALSE(done->stopped);
}

TEST(SaneBackend, FlatbedColourPageKeepsItsColourWithinTheBudget) {
  auto done = scan_material(request(100, ScanMode::colour, ScanSource::flatbed, {{"test-picture", "Color pattern"}}));
  ASSERT_TRUE(done) << done.error().message;
  ASSERT_EQ(done->page_count(), 1);
  const MaterialPage& p = done->pages[0];
  EXPECT_EQ(p.paper, "A4");
  // Never enlarged beyond the scan; the pattern's hard colour stripes make
  // the budget take pixels too (as it would a camera page's).
  EXPECT_LE(p.dpi, 100);
  EXPECT_GE(p.dpi, 70);
  EXPECT_TRUE(p.colour);
  EXPECT_LE(p.bytes.size(), p.budget_bytes);
}

TEST(SaneBackend, TheFeederIsScannedUntilItIsEmpty) {
  // The test backend's feeder holds 10 sheets, then says SANE_STATUS_NO_DOCS.
  std::vector<int> seen;
  auto done = scan_material(request(25, ScanMode::grey, ScanSource::adf), nullptr,
                            [&](const MaterialPage& p, int n) {
                              EXPECT_FALSE(p.bytes.empty());
                              seen.push_back(n);
                            });
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->page_count(), 10);
  EXPECT_TRUE(done->feeder_empty);
  EXPECT_FALSE(done->stopped);
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST(SaneBackend, TheFeederStopsAtTheAskedNumberOfPages) {
  auto req = request(25, ScanMode::grey, ScanSource::adf);
  req.max_pages = 3;
  auto done = scan_material(req);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->page_count(), 3);
  EXPECT_FALSE(done->feeder_empty);
}

TEST(SaneBackend, AnEmptyFeederIsScannerNoDocs) {
  auto scanner = SaneScanner::open("test:1");
  ASSERT_TRUE(scanner) << scanner.error().message;
  ScanSettings s;
  s.dpi = 25;
  s.source = ScanSource::adf;
  s.backend_options = backend();
  ASSERT_TRUE((*scanner)->configure(s));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*scanner)->scan_page()) << i;
  auto none = (*scanner)->scan_page();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "scanner_no_docs");
}

TEST(SaneBackend, AnUnknownDeviceIsScannerAbsent) {
  for (const char* name : {"nosuch:0", "test:7", "sane:nosuch:libusb:009:099"}) {
    auto r = request(75, ScanMode::grey);
    r.device = name;
    auto done = scan_material(r);
    ASSERT_FALSE(done) << name;
    EXPECT_EQ(done.error().code, "scanner_absent") << name << ": " << done.error().message;
  }
}

TEST(SaneBackend, CancelFromAnotherThreadStopsTheScan) {
  // Slowed down: 1 kB per read with a pause of 10 ms after each (the
  // backend pauses per buffer it passes on, not per read): the 8.7 MB of a
  // 300 dpi grey page would take many seconds.
  auto req = request(300, ScanMode::grey, ScanSource::flatbed,
                     {{"read-limit", "yes"}, {"read-limit-size", "1000"}, {"read-delay", "yes"},
                      {"read-delay-duration", "10000"}});
  ScanCancel cancel;
  const auto t0 = std::chrono::steady_clock::now();
  std::thread ui([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    cancel.cancel();
  });
  auto done = scan_material(req, &cancel);
  ui.join();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, "scanner_cancelled") << done.error().message;
  EXPECT_LT(seconds_since(t0), 0.5);
  EXPECT_TRUE(cancel.requested());
}

TEST(SaneBackend, ABackendThatStopsHandingOverBytesIsStoppedAsStalled) {
  // Every buffer the backend passes on comes after a 200 ms pause (its
  // longest): a hung transfer, as far as a 50 ms bound can tell.
  auto req = request(300, ScanMode::grey, ScanSource::flatbed,
                     {{"read-limit", "yes"}, {"read-limit-size", "1000"}, {"read-delay", "yes"},
                      {"read-delay-duration", "200000"}});
  req.scan.stall_limit = std::chrono::milliseconds(50);
  const auto t0 = std::chrono::steady_clock::now();
  auto done = scan_material(req, nullptr);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, "scanner_stalled") << done.error().message;
  EXPECT_NE(done.error().message.find("50 ms"), std::string::npos) << done.error().message;
  EXPECT_LT(seconds_since(t0), 2.0);
  // The scanner is usable again at once: the next scan, at full speed, is a page.
  auto next = scan_material(request(75, ScanMode::grey), nullptr);
  EXPECT_TRUE(next.ok()) << (next.ok() ? "" : next.error().message);
}

TEST(SaneBackend, ACancelBeforeTheScanStartsScansNothing) {
  ScanCancel cancel;
  cancel.cancel();
  auto done = scan_material(request(75, ScanMode::grey), &cancel);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, "scanner_cancelled");
}

TEST(SaneBackend, StatusesFromTheBackendBecomeTheirCodes) {
  for (const auto& [status, code] : {std::pair{"SANE_STATUS_JAMMED", "scanner_jammed"},
                                     std::pair{"SANE_STATUS_COVER_OPEN", "scanner_cover_open"},
                                     std::pair{"SANE_STATUS_DEVICE_BUSY", "scanner_busy"},
                                     std::pair{"SANE_STATUS_NO_DOCS", "scanner_no_docs"},
                                     std::pair{"SANE_STATUS_IO_ERROR", "scanner_io"}}) {
    // A 20 mm square: the backend's reader thread has written it all and
    // ended before the error makes us call sane_cancel. SANE's
    // sanei_thread cancels a running reader asynchronously, and one caught
    // inside malloc keeps the arena's lock for ever (README, "Document
    // scanners: SANE"); a whole page here hung about one run in 15.
    auto req = request(25, ScanMode::grey, ScanSource::flatbed, {{"read-return-value", status}});
    req.scan.width_mm = req.scan.height_mm = 20;
    auto done = scan_material(req);
    ASSERT_FALSE(done) << status;
    EXPECT_EQ(done.error().code, code) << done.error().message;
  }
}

// What the backend sends in other shapes reaches the pipeline as the same
// page: padded lines, 1-bit lineart, 16-bit samples, tiny reads.
TEST(SaneBackend, PaddedLinesLineartSixteenBitsAndSmallReadsGiveTheSamePage) {
  auto scan = [](const Options& faults, ScanMode mode = ScanMode::grey) {
    auto scanner = SaneScanner::open("test:0");
    EXPECT_TRUE(scanner);
    ScanSettings s;
    s.dpi = 50;
    s.mode = mode;
    s.backend_options = backend(faults);
    EXPECT_TRUE((*scanner)->configure(s));
    auto page = (*scanner)->scan_page();
    EXPECT_TRUE(page) << page.error().message;
    (*scanner)->finish();
    return page ? page->image : camera::Image{};
  };
  const camera::Image plain = scan({});
  ASSERT_FALSE(plain.empty());
  EXPECT_NEAR(plain.width, 413, 1);  // 210 mm at 50 dpi
  EXPECT_NEAR(plain.height, 585, 1);
  EXPECT_EQ(scan({{"read-limit", "yes"}, {"read-limit-size", "7"}}).px, plain.px);
  const camera::Image padded = scan({{"ppl-loss", "3"}});
  ASSERT_EQ(padded.height, plain.height);
  EXPECT_EQ(padded.width, plain.width - 3);
  const camera::Image deep = scan({{"depth", "16"}});
  EXPECT_EQ(deep.px, plain.px);
  const camera::Image lineart = scan({{"depth", "1"}});
  ASSERT_EQ(lineart.width, plain.width);
  for (uint8_t v : lineart.px) ASSERT_TRUE(v == 0 || v == 255);
  const camera::Image rgb = scan({}, ScanMode::colour);
  EXPECT_EQ(rgb.channels, 3);
  EXPECT_EQ(rgb.width, plain.width);
}

}  // namespace
}  // namespace bianmin::drivers::docscan
