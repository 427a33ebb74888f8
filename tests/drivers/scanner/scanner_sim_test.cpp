// The scanner transports over the simulators: the same bytes a real
// device delivers, through the same read paths.
#include <gtest/gtest.h>

#include <chrono>

#include "scanner/code_scanner.h"
#include "scanner/sim_scanner.h"

namespace bianmin::drivers::scanner {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<CodeScanner> open_reader(const SimScanner& sim, ScannerOptions o = {}) {
  auto spec = parse_scanner_spec(sim.spec());
  EXPECT_TRUE(spec) << sim.spec();
  auto r = make_scanner(*spec, o);
  Status st = r->open();
  EXPECT_TRUE(st) << (st ? "" : st.error().message);
  return r;
}

TEST(ScannerSim, KeyboardWedgeOverEvdevRecords) {
  SimScannerOptions o;
  o.kind = ScannerSpec::Kind::evdev;
  o.try_uinput = false;  // the FIFO path everywhere; uinput is exercised when present (CLI test)
  auto sim = SimScanner::create(o);
  ASSERT_TRUE(sim) << sim.error().message;
  auto reader = open_reader(**sim);
  ASSERT_TRUE((*sim)->scan("https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA"));
  ASSERT_TRUE((*sim)->scan("电子证照 No.7"));
  auto a = reader->next(2s);
  ASSERT_TRUE(a && *a) << (a ? "timeout" : a.error().message);
  EXPECT_EQ((*a)->bytes, "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA");
  EXPECT_EQ((*a)->format, "unknown");
  auto b = reader->next(2s);
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->bytes, "电子证照 No.7");
  // Nothing more: a timeout, not an error.
  auto t0 = std::chrono::steady_clock::now();
  auto none = reader->next(150ms);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  // Unplugged: a clear error.
  (*sim)->unplug();
  auto gone = reader->next(1s);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, "scanner_unplugged");
}

TEST(ScannerSim, KeyboardWedgeWithoutEnterEndsAtTheGap) {
  SimScannerOptions o;
  o.try_uinput = false;
  o.enter = false;
  auto sim = SimScanner::create(o);
  ASSERT_TRUE(sim);
  ScannerOptions so;
  so.keys.inter_key_timeout_us = 40'000;
  auto reader = open_reader(**sim, so);
  ASSERT_TRUE((*sim)->scan("6901234567892"));
  auto a = reader->next(2s);
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->bytes, "6901234567892");
  EXPECT_TRUE((*a)->by_timeout);
}

TEST(ScannerSim, HidPosReportsWithSymbology) {
  SimScannerOptions o;
  o.kind = ScannerSpec::Kind::hidraw;
  auto sim = SimScanner::create(o);
  ASSERT_TRUE(sim) << sim.error().message;
  auto reader = open_reader(**sim);
  const std::string long_code(150, 'Q');
  ASSERT_TRUE((*sim)->scan(long_code, "]Q1"));
  ASSERT_TRUE((*sim)->scan("6901234567892", "]E0"));
  auto a = reader->next(2s);
  ASSERT_TRUE(a && *a) << (a ? "timeout" : a.error().message);
  EXPECT_EQ((*a)->bytes, long_code);
  EXPECT_EQ((*a)->format, "QRCode");
  auto b = reader->next(2s);
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->bytes, "6901234567892");
  EXPECT_EQ((*b)->format, "EAN-13");
}

TEST(ScannerSim, HidrawKeyboardModeScanner) {
  SimScannerOptions o;
  o.kind = ScannerSpec::Kind::hidraw;
  o.hid_keyboard = true;
  auto sim = SimScanner::create(o);
  ASSERT_TRUE(sim);
  auto reader = open_reader(**sim);
  ASSERT_TRUE((*sim)->scan("Hello-123"));
  auto a = reader->next(2s);
  ASSERT_TRUE(a && *a) << (a ? "timeout" : a.error().message);
  EXPECT_EQ((*a)->bytes, "Hello-123");
}

TEST(ScannerSim, SerialPtyWithConfiguredSuffix) {
  for (const char* sfx : {"cr", "crlf", "tab", "0x03"}) {
    SimScannerOptions o;
    o.kind = ScannerSpec::Kind::serial;
    o.suffix = *Suffix::parse(sfx);
    auto sim = SimScanner::create(o);
    ASSERT_TRUE(sim) << sim.error().message;
    ScannerOptions so;
    so.suffix = o.suffix;
    auto reader = open_reader(**sim, so);
    ASSERT_TRUE((*sim)->scan("K03-20261122-0042"));
    ASSERT_TRUE((*sim)->scan("二维码"));
    auto a = reader->next(2s);
    ASSERT_TRUE(a && *a) << sfx;
    EXPECT_EQ((*a)->bytes, "K03-20261122-0042") << sfx;
    EXPECT_FALSE((*a)->by_timeout) << sfx;
    auto b = reader->next(2s);
    ASSERT_TRUE(b && *b) << sfx;
    EXPECT_EQ((*b)->bytes, "二维码") << sfx;
    (*sim)->unplug();
    auto gone = reader->next(1s);
    ASSERT_FALSE(gone) << sfx;
    EXPECT_EQ(gone.error().code, "scanner_unplugged") << sfx;
  }
}

TEST(ScannerSim, AbsentDevicesAndBadSpecs) {
  auto s = parse_scanner_spec("evdev:/dev/input/event-does-not-exist");
  ASSERT_TRUE(s);
  auto r = make_scanner(*s, {});
  EXPECT_EQ(r->open().error().code, "scanner_absent");
  EXPECT_FALSE(parse_scanner_spec("usb:1234"));
  EXPECT_FALSE(parse_scanner_spec("serial:/dev/ttyACM0@fast"));
  EXPECT_EQ(parse_scanner_spec("serial:/dev/ttyACM0@9600")->baud, 9600);
}

}  // namespace
}  // namespace bianmin::drivers::scanner
