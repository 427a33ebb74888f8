// The technician's service mode on the screen (issue 10 "Done when"): a
// fresh terminal fitted with nothing but the touch screen and the code
// scanner, by the real kiosk under Xvfb with the simulators and the
// reference central. Screenshots of every service screen are kept under
// BIANMIN_UI_ARTIFACTS/service/.
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
  ASSERT_EQ(rc, 0) << slurp(shots + "/kiosk.log").substr(0, 4000);
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

}  // namespace
}  // namespace bianmin::ui
