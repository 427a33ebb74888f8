// The printer from the command line, as a technician or the kiosk uses it,
// against the simulated printer: a receipt that cannot be printed (paper
// out, printer gone) stays pending and is printed once the printer is back.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <sstream>
#include <thread>

#include "outbox/receipt_token.h"
#include "printer/glyphs.h"
#include "printer/render/paper.h"
#include "printer/sim/sim_printer.h"
#include "printer_test_support.h"
#include "store/store.h"
#include "support/testing.h"

namespace bianmin::drivers::printer {
namespace {

using nlohmann::json;
using testing::run_bianmin;

std::string fixture(const std::string& name) { return std::string(BIANMIN_PRINTER_FIXTURES) + "/" + name; }

class PrintCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto imp = bm({"catalog", "import", fixture("catalog.json")});
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    auto sim = SimPrinter::start();
    ASSERT_TRUE(sim) << sim.error().message;
    sim_ = std::move(*sim);
  }

  testing::CommandResult bm(std::vector<std::string> args) {
    std::vector<std::string> all = {"--data-dir", dir_.path(), "--log-level", "warn",
                                    "--set", "terminal.hall_name=张掖市甘州区政务服务中心"};
    all.insert(all.end(), args.begin(), args.end());
    return run_bianmin(all);
  }

  // Submits an application through the real CLI; its client_id.
  std::string submit() {
    auto r = bm({"submit", "--item", "620702-JF-0001", "--applicant", fixture("applicant.json"), "--form",
                 fixture("form.json"), "--material", "m1=" + fixture("page.jpg"), "--material",
                 "m1=" + fixture("page.jpg"), "--material", "m2=" + fixture("page.jpg"), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = json::parse(r.out, nullptr, false);
    return j.is_object() ? j.value("client_id", "") : "";
  }

  std::string receipt_state(const std::string& client_id) {
    auto r = bm({"queue", "list", "--json"});
    for (const auto& a : json::parse(r.out))
      if (a["client_id"] == client_id) return a["receipt_state"];
    return "?";
  }

  std::string expected_url(const std::string& client_id) {
    store::StoreOptions o;
    o.data_dir = dir_.path();
    o.key_file = dir_.file("device.key");  // what terminal.key_file = "" means
    auto s = store::Store::open(o);
    EXPECT_TRUE(s);
    auto r = bm({"queue", "list", "--json"});
    std::string receipt_no;
    for (const auto& a : json::parse(r.out))
      if (a["client_id"] == client_id) receipt_no = a["receipt_no"];
    const std::string token = outbox::receipt_token((*s)->sealer(), client_id);
    EXPECT_GE(token.size(), 22u);
    return "https://zwfw.example.gov.cn/q/" + receipt_no + "?t=" + token;
  }

  testing::TempDir dir_;
  std::unique_ptr<SimPrinter> sim_;
};

TEST_F(PrintCli, PaperOutKeepsTheReceiptPendingAndTheReprintSucceeds) {
  const std::string id = submit();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(receipt_state(id), "pending");

  sim_->set_state(PrinterState::paper_out);
  auto r = bm({"print", "receipt", "--client-id", id, "--printer", sim_->address()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("out of paper"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("打印纸用完"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pending"), std::string::npos) << r.err;
  EXPECT_EQ(receipt_state(id), "pending");
  EXPECT_TRUE(sim_->printed().empty());

  auto st = bm({"print", "status", "--printer", sim_->address(), "--json"});
  ASSERT_EQ(st.exit_code, 0) << st.err;
  EXPECT_EQ(json::parse(st.out)["state"], "paper_out");

  sim_->set_state(PrinterState::ok);
  r = bm({"print", "pending", "--printer", sim_->address()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(receipt_state(id), "printed");

  // What came out of the printer reads right: the QR code carries the URL
  // with the receipt number and the token; the full name is nowhere.
  const std::string printed = sim_->printed();
  ASSERT_FALSE(printed.empty());
  EXPECT_EQ(printed.find("\xd0\xa1\xd1\xe0"), std::string::npos);  // 小燕 in GB18030
  auto glyphs = GlyphRenderer::open();
  ASSERT_TRUE(glyphs);
  const GrayImage img = paper_image(render_escpos(printed, {}, glyphs->get()));
  EXPECT_EQ(test::decode_qr(img), expected_url(id));

  // Nothing pending any more; a reprint on request still works.
  r = bm({"print", "pending", "--printer", sim_->address(), "--json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(json::parse(r.out)["pending"], 0);
  r = bm({"print", "receipt", "--client-id", id, "--printer", sim_->address()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(PrintCli, PendingReceiptsPrintWhenThePrinterComesBack) {
  const std::string a = submit(), b = submit();
  sim_->set_state(PrinterState::cover_open);
  testing::CommandResult waiter;
  std::thread t([&] { waiter = bm({"print", "pending", "--printer", sim_->address(), "--wait", "100"}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(receipt_state(a), "pending");
  sim_->set_state(PrinterState::ok);  // the technician closes the cover
  t.join();
  EXPECT_EQ(waiter.exit_code, 0) << waiter.err;
  EXPECT_NE(waiter.err.find("cover is open"), std::string::npos) << waiter.err;
  EXPECT_EQ(receipt_state(a), "printed");
  EXPECT_EQ(receipt_state(b), "printed");
}

TEST_F(PrintCli, UnreachablePrinterKeepsTheReceiptPending) {
  const std::string id = submit();
  const std::string gone = sim_->address();
  sim_.reset();  // the printer is unplugged / switched off
  auto r = bm({"print", "receipt", "--client-id", id, "--printer", gone});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(receipt_state(id), "pending");
  auto st = bm({"print", "status", "--printer", gone, "--json"});
  EXPECT_EQ(st.exit_code, 0);
  EXPECT_EQ(json::parse(st.out)["state"], "absent");
}

TEST_F(PrintCli, WatchReportsPaperOutAndUnplugging) {
  testing::CommandResult watch;
  std::thread t([&] {
    watch = bm({"print", "status", "--printer", sim_->address(), "--json", "--watch", "100", "--changes", "3"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  sim_->set_state(PrinterState::paper_out);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  sim_.reset();  // cable pulled
  t.join();
  ASSERT_EQ(watch.exit_code, 0) << watch.err;
  std::vector<std::string> states;
  std::istringstream lines(watch.out);
  for (std::string l; std::getline(lines, l);) states.push_back(json::parse(l)["state"]);
  EXPECT_EQ(states, (std::vector<std::string>{"ok", "paper_out", "absent"}));
}

TEST_F(PrintCli, FileLinkAndRenderGiveADecodableReceipt) {
  const std::string id = submit();
  for (const bool native : {true, false}) {
    const std::string bin = dir_.file(native ? "r.bin" : "r-raster.bin"), png = bin + ".png";
    std::vector<std::string> args = {"print", "receipt", "--client-id", id, "--printer", "file:" + bin,
                                     "--width", "576"};
    if (!native) args.push_back("--no-native-qr");
    auto r = bm(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = bm({"print", "render", "--in", bin, "--out", png, "--width", "576"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto img = read_png(png);
    ASSERT_TRUE(img);
    EXPECT_EQ(img->width, 576 + 2 * 32);
    EXPECT_EQ(test::decode_qr(*img), expected_url(id)) << (native ? "native" : "raster");
  }
  EXPECT_EQ(receipt_state(id), "printed");
}

// The central hands the receipt query URL to the terminal at enrolment; the
// receipt must carry that one, not the configuration file's default.
TEST_F(PrintCli, ReceiptCarriesTheEnrolledQueryUrl) {
  const std::string id = submit();
  {
    store::StoreOptions o;
    o.data_dir = dir_.path();
    o.key_file = dir_.file("device.key");
    auto s = store::Store::open(o);
    ASSERT_TRUE(s);
    ASSERT_TRUE((*s)->set_setting("receipt.query_url", "https://zwfw.gansu.example/r/{receipt_no}/{token}"));
  }
  const std::string bin = dir_.file("r.bin"), png = bin + ".png";
  auto r = bm({"print", "receipt", "--client-id", id, "--printer", "file:" + bin});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = bm({"print", "render", "--in", bin, "--out", png});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto img = read_png(png);
  ASSERT_TRUE(img);
  const std::string url = expected_url(id);  // the default template's URL
  const std::string receipt_no = url.substr(url.rfind('/') + 1, url.find('?') - url.rfind('/') - 1);
  const std::string token = url.substr(url.find("?t=") + 3);
  EXPECT_EQ(test::decode_qr(*img), "https://zwfw.gansu.example/r/" + receipt_no + "/" + token);
}

// A fitted terminal names its printer and paper once, in the configuration;
// the commands (and the kiosk) use them when not told otherwise.
TEST_F(PrintCli, ConfiguredPrinterAndPaperWidthAreUsed) {
  const std::string id = submit();
  const std::string bin = dir_.file("configured.bin"), png = bin + ".png";
  auto r = bm({"--set", "devices.printer=file:" + bin, "--set", "printer.width_dots=576", "print", "receipt",
               "--client-id", id});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = bm({"print", "render", "--in", bin, "--out", png, "--width", "576"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto img = read_png(png);
  ASSERT_TRUE(img);
  EXPECT_EQ(test::decode_qr(*img), expected_url(id));
  // Laid out for 80 mm paper: ink beyond the 384 dots of 58 mm paper (the
  // rendered paper has a 32-pixel margin on each side).
  std::size_t wide_ink = 0;
  for (int y = 0; y < img->height; ++y)
    for (int x = 32 + 400; x < 32 + 576; ++x) wide_ink += img->pixels[static_cast<std::size_t>(y) * img->width + x] < 128;
  EXPECT_GT(wide_ink, 1000u) << "the receipt was not laid out 576 dots wide";
  // No printer anywhere: a usage error that says where to name one.
  r = bm({"print", "receipt", "--client-id", id});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("devices.printer"), std::string::npos) << r.err;
  EXPECT_EQ(bm({"--set", "printer.width_dots=50", "print", "receipt", "--client-id", id}).exit_code, 4)
      << "an impossible width is refused as configuration";
}

TEST_F(PrintCli, UsageErrorsAndUnknownApplication) {
  EXPECT_EQ(bm({"print", "receipt", "--client-id", "nope", "--printer", sim_->address()}).exit_code, 3);
  EXPECT_EQ(bm({"print", "status", "--printer", "lp0"}).exit_code, 1);
  EXPECT_EQ(bm({"print", "render", "--in", dir_.file("missing"), "--out", dir_.file("x.png")}).exit_code, 2);
}

}  // namespace
}  // namespace bianmin::drivers::printer
