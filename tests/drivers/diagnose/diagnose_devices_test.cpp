// `bianmin diagnose`'s device checks as a technician runs them: the real
// binary against the simulators (ID-card reader on a pty, printer on
// loopback TCP, a synthetic camera, a scanner FIFO); and the font and
// display checks of a machine without a screen.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>

#include "idcard/serial_transport.h"
#include "idcard/sim_pty.h"
#include "printer/sim/sim_printer.h"
#include "scanner/sim_scanner.h"
#include "drivers/docscan/sane_test_config.h"
#include "support/testing.h"

namespace bianmin::drivers {
namespace {

using json = nlohmann::json;

class DiagnoseDevices : public ::testing::Test {
 protected:
  void SetUp() override {
    // No screen: the display check must say so at once, never wait for one.
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
    auto reader = idcard::SimPty::open();
    ASSERT_TRUE(reader) << reader.error().message;
    reader_ = std::move(*reader);
    reader_->start();
    auto p = printer::SimPrinter::start();
    ASSERT_TRUE(p) << p.error().message;
    printer_ = std::move(*p);
    scanner::SimScannerOptions so;
    so.try_uinput = false;
    auto s = scanner::SimScanner::create(so);
    ASSERT_TRUE(s) << s.error().message;
    scanner_ = std::move(*s);
    testing::write_file(dir_.file("bianmin.toml"), "");
  }

  std::vector<std::string> all_devices() const {
    return {"--set", "devices.idcard=serial:" + reader_->path(), "--set", "devices.printer=" + printer_->address(),
            "--set", "devices.camera=sim:synth:form", "--set", "devices.scanner=" + scanner_->spec()};
  }

  // Runs diagnose --json; the report, or a failed test.
  json diagnose(std::vector<std::string> sets, int* exit_code = nullptr) {
    std::vector<std::string> args = {"--config=" + dir_.file("bianmin.toml"), "--data-dir=" + dir_.path()};
    args.insert(args.end(), sets.begin(), sets.end());
    args.insert(args.end(), {"diagnose", "--json"});
    const auto t0 = std::chrono::steady_clock::now();
    auto r = testing::run_bianmin(args);
    took_ = std::chrono::steady_clock::now() - t0;
    if (exit_code) *exit_code = r.exit_code;
    json j = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(j.is_object()) << r.out << r.err;
    return j;
  }

  static json check(const json& report, const std::string& id) {
    if (report.is_object())
      for (const auto& c : report["checks"])
        if (c["id"] == id) return c;
    ADD_FAILURE() << "no check " << id << " in " << report.dump(2);
    return json{{"verdict", ""}, {"figure", ""}, {"advice", ""}};
  }

  testing::TempDir dir_;
  std::unique_ptr<idcard::SimPty> reader_;
  std::unique_ptr<printer::SimPrinter> printer_;
  std::unique_ptr<scanner::SimScanner> scanner_;
  std::chrono::steady_clock::duration took_{};
};

const char* kDevices[] = {"device.id_reader", "device.printer", "device.camera", "device.scanner"};

// SANE's test backend as a counter's document scanner (diagnose, a child
// process, inherits SANE_CONFIG_DIR).
const docscan::testing::SaneTestConfig sane_config;

TEST_F(DiagnoseDevices, TheDocumentScannerIsOptionalAndOpenedWhenFitted) {
  const json none = check(diagnose(all_devices()), "device.document_scanner");
  EXPECT_EQ(none["verdict"], "ok") << "a kiosk has none: no warning";
  EXPECT_NE(none["figure"].get<std::string>().find("none fitted"), std::string::npos) << none.dump();
  auto fitted = all_devices();
  fitted.insert(fitted.end(), {"--set", "devices.document_scanner=sane:test:0"});
  const json ok = check(diagnose(fitted), "device.document_scanner");
  EXPECT_EQ(ok["verdict"], "ok") << ok.dump();
  EXPECT_NE(ok["figure"].get<std::string>().find("test:0"), std::string::npos) << ok.dump();
  auto missing = all_devices();
  missing.insert(missing.end(), {"--set", "devices.document_scanner=sane:nosuch:9"});
  const json gone = check(diagnose(missing), "device.document_scanner");
  EXPECT_EQ(gone["verdict"], "fail") << gone.dump();
  EXPECT_NE(gone["advice"].get<std::string>().find("devices.document_scanner"), std::string::npos) << gone.dump();
}

TEST_F(DiagnoseDevices, EveryDeviceIsOkWithTheSimulators) {
  const json report = diagnose(all_devices());
  for (const char* id : kDevices) {
    const json c = check(report, id);
    EXPECT_EQ(c["verdict"], "ok") << c.dump();
    EXPECT_EQ(c["advice"], "") << c.dump();
  }
  EXPECT_NE(check(report, "device.id_reader")["figure"].get<std::string>().find("SAM "), std::string::npos);
  EXPECT_NE(check(report, "device.printer")["figure"].get<std::string>().find(": ok"), std::string::npos);
  const std::string camera = check(report, "device.camera")["figure"];
  EXPECT_NE(camera.find("brightness"), std::string::npos) << camera;
  EXPECT_NE(camera.find("focus"), std::string::npos) << camera;
  EXPECT_GT(printer_->status_queries(), 0);
  // The fonts the kiosk draws with are installed (fonts-noto-cjk), 𠮷 included.
  EXPECT_EQ(check(report, "fonts")["verdict"], "ok") << check(report, "fonts").dump();
  EXPECT_NE(check(report, "fonts")["figure"].get<std::string>().find("\xF0\xA0\xAE\xB7"), std::string::npos);
  const json display = check(report, "display");
  EXPECT_EQ(display["verdict"], "warn");
  EXPECT_NE(display["figure"].get<std::string>().find("no display"), std::string::npos);
  EXPECT_LT(took_, std::chrono::seconds(10));
}

TEST_F(DiagnoseDevices, PrinterOutOfPaperFailsWithAdviceAboutPaperAndTheCommandExitsTwo) {
  printer_->set_state(printer::PrinterState::paper_out);
  int code = -1;
  const json report = diagnose(all_devices(), &code);
  const json p = check(report, "device.printer");
  EXPECT_EQ(p["verdict"], "fail") << p.dump();
  EXPECT_NE(p["figure"].get<std::string>().find("paper_out"), std::string::npos) << p.dump();
  EXPECT_NE(p["advice"].get<std::string>().find("paper"), std::string::npos) << p.dump();
  EXPECT_EQ(report["verdict"], "fail");
  EXPECT_EQ(code, 2);
  // The other devices are not blamed for it.
  EXPECT_EQ(check(report, "device.id_reader")["verdict"], "ok");

  printer_->set_state(printer::PrinterState::paper_low);
  const json low = check(diagnose(all_devices()), "device.printer");
  EXPECT_EQ(low["verdict"], "warn") << low.dump();
  EXPECT_EQ(low["advice"], "load a new roll soon");
}

TEST_F(DiagnoseDevices, AnUnconfiguredDeviceWarnsNamingItsSetting) {
  const json report = diagnose({"--set", "devices.printer=" + printer_->address()});
  EXPECT_EQ(check(report, "device.printer")["verdict"], "ok");
  using Named = std::pair<std::string, std::string>;
  for (const auto& [id, key] : {Named{"device.id_reader", "devices.idcard"}, Named{"device.camera", "devices.camera"},
                                Named{"device.scanner", "devices.scanner"}}) {
    const json c = check(report, id);
    EXPECT_EQ(c["verdict"], "warn") << c.dump();
    EXPECT_NE(c["advice"].get<std::string>().find("set " + key + " in /etc/bianmin/bianmin.toml"),
              std::string::npos)
        << c.dump();
  }
}

TEST_F(DiagnoseDevices, AnAbsentDeviceFailsWithoutWaiting) {
  int code = -1;
  const json report = diagnose({"--set", "devices.idcard=serial:" + dir_.file("no-such-tty"), "--set",
                                "devices.printer=tcp:127.0.0.1:1", "--set", "devices.camera=sim:" + dir_.file("none.jpg"),
                                "--set", "devices.scanner=serial:" + dir_.file("no-such-scanner")},
                               &code);
  for (const char* id : kDevices) {
    const json c = check(report, id);
    EXPECT_EQ(c["verdict"], "fail") << c.dump();
    EXPECT_FALSE(c["advice"].get<std::string>().empty()) << c.dump();
  }
  EXPECT_EQ(code, 2);
  EXPECT_LT(took_, std::chrono::seconds(10));
}

TEST_F(DiagnoseDevices, AReaderTheKioskHoldsIsReportedAsTheKioskRecordsIt) {
  // The kiosk's reader service keeps the port open and locked.
  idcard::SerialTransport held(reader_->path(), 115200);
  ASSERT_TRUE(held.open());
  const json c = check(diagnose(all_devices()), "device.id_reader");
  EXPECT_NE(c["figure"].get<std::string>().find("in use by the running kiosk"), std::string::npos) << c.dump();
  // A kiosk that never ran recorded nothing: not known to work.
  EXPECT_EQ(c["verdict"], "warn") << c.dump();
}

}  // namespace
}  // namespace bianmin::drivers
