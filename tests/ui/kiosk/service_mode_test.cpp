// The technician's service mode on the screen (issue 10 "Done when"): a
// fresh terminal fitted with nothing but the touch screen and the code
// scanner, by the real kiosk under Xvfb with the simulators and the
// reference central. Screenshots of every service screen are kept under
// BIANMIN_UI_ARTIFACTS/service/.
#include <fstream>

#include "kiosk_fixture.h"

namespace bianmin::ui {
namespace {

class ServiceKiosk : public Kiosk {};

TEST_F(ServiceKiosk, AFreshTerminalIsEnrolledByItsQrTestedAndThenDelivers) {
  testing::TempDir data;
  const std::string shots = artifacts("service");
  auto args = kiosk_args(data.path(), std::string(BIANMIN_UI_SCRIPTS) + "/service.txt", shots);
  args.push_back("--sim-unenrolled");
  const pid_t pid = spawn(args, shots + "/kiosk.log");
  const int rc = wait_for(pid, 220s);
  ASSERT_EQ(rc, 0) << failure_excerpt(shots + "/kiosk.log");
  EXPECT_GE(pngs(shots), 14u) << "a screenshot of every service screen";

  // Enrolled by the QR (the central knows the terminal), and the resident's
  // application after it reached the central.
  const std::string apps = run({BIANMIN_CENTRAL_BINARY, "--data-dir", data.path() + "/central", "applications"});
  EXPECT_NE(apps.find("\"item_code\": \"620702-GG-0002\""), std::string::npos) << apps;
  EXPECT_NE(apps.find("K99-"), std::string::npos) << apps;

  // The test page went onto the simulated paper.
  EXPECT_FALSE(slurp(data.path() + "/sim/paper.bin").empty());

  // Entering, each device test and leaving are in the audit chain, by who.
  auto audit = testing::run_bianmin({"--data-dir", data.path(), "audit", "list"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  for (const char* type : {"\"service_requested\"", "\"service_enter\"", "\"service_enrolled\"", "\"device_test\"",
                           "\"service_leave\""})
    EXPECT_NE(audit.out.find(type), std::string::npos) << type;
  EXPECT_NE(audit.out.find("enrolment-code"), std::string::npos);
  // The card shown in the test was masked on its way to the audit chain too.
  EXPECT_EQ(audit.out.find("11010519491231002X"), std::string::npos);
}

TEST_F(ServiceKiosk, APinOpensItAWrongOneIsCountedAndLogsGoToTheStick) {
  testing::TempDir data;
  const std::string shots = artifacts("service-pin");
  auto pin = testing::run_bianmin({"--data-dir", data.path(), "service", "set-pin"}, "246810\n");
  ASSERT_EQ(pin.exit_code, 0) << pin.err;
  const std::string stick = data.path() + "/stick";
  fsys::create_directories(stick);
  auto args = kiosk_args(data.path(), std::string(BIANMIN_UI_SCRIPTS) + "/service-pin.txt", shots);
  args.insert(args.begin() + 1, {"--set", "service.export_dir=" + stick});
  // A bundle on the stick (not a real one: there is no RAUC here to take it).
  { std::ofstream(stick + "/bianmin-9.9.9.raucb") << std::string(4096, 'x'); }
  const pid_t pid = spawn(args, shots + "/kiosk.log");
  const int rc = wait_for(pid, 200s);
  ASSERT_EQ(rc, 0) << failure_excerpt(shots + "/kiosk.log");

  // The export: one directory named after the terminal, with the report,
  // the audit chain and (where there is a journal) the services' log.
  std::vector<fsys::path> dirs;
  for (const auto& e : fsys::directory_iterator(stick))
    if (e.is_directory()) dirs.push_back(e.path());
  ASSERT_EQ(dirs.size(), 1u);
  EXPECT_NE(dirs[0].filename().string().find("bianmin-K99-"), std::string::npos) << dirs[0];
  EXPECT_NE(slurp((dirs[0] / "diagnose.json").string()).find("\"checks\""), std::string::npos);
  EXPECT_NE(slurp((dirs[0] / "audit.jsonl").string()).find("service_enter"), std::string::npos);

  // The refused PIN and the accepted one are in the audit chain; the PIN is nowhere.
  auto audit = testing::run_bianmin({"--data-dir", data.path(), "audit", "list"});
  EXPECT_NE(audit.out.find("pin refused"), std::string::npos);
  EXPECT_NE(audit.out.find("\"logs_exported\""), std::string::npos);
  // The update tried from the stick: who asked, and that it failed; the
  // copy on the data partition is gone again.
  EXPECT_NE(audit.out.find("\"update_install\""), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("\"update_failed\""), std::string::npos) << audit.out;
  EXPECT_FALSE(fsys::exists(data.path() + "/updates-usb"));
  for (const char* secret : {"246810", "111111"}) {
    EXPECT_EQ(audit.out.find(secret), std::string::npos) << secret;
    EXPECT_EQ(slurp(shots + "/kiosk.log").find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace bianmin::ui
