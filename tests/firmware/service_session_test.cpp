// The technician's service mode driven headless: the way in, every screen's
// actions, what is audited, and that nothing answers before a credential.
#include <gtest/gtest.h>

#include "session/service_session.h"
#include "session_fixtures.h"

namespace bianmin::session {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> audits(const std::vector<ServiceEffect>& effects) {
  std::vector<std::string> out;
  for (const auto& e : effects)
    if (auto* a = std::get_if<DoAudit>(&e)) out.push_back(a->type + (a->masked_detail.empty() ? "" : " " + a->masked_detail));
  return out;
}

IdCard card_read(std::string id_number = "620702199003071232") {
  IdCard e;
  e.event.kind = domain::IdCardEventKind::card_read;
  domain::IdentityCard c;
  c.name = "张三丰";
  c.id_number = std::move(id_number);
  c.id_number_valid = true;
  c.valid_until = "2035-01-01";
  e.event.card = c;
  return e;
}

class Service : public ::testing::Test {
 protected:
  ServiceSession s;
  Clock::time_point now = Clock::time_point{} + 1000s;

  std::vector<ServiceEffect> in(const ServiceInput& i) { return s.handle(i); }
  void advance(std::chrono::seconds d) {
    now += d;
    in(Tick{now});
  }
  ServiceScreen screen() const { return s.view().screen; }
  void SetUp() override { in(Tick{now}); }

  void unlock_with_pin() {
    in(OpenService{true, true});
    ASSERT_TRUE(find_effect<DoCheckPin>(in(EnterPin{"246810"})));
    auto fx = in(CredentialChecked{true, "pin", 5, 0});
    ASSERT_EQ(screen(), ServiceScreen::checklist);
    ASSERT_TRUE(find_effect<DoRunChecks>(fx));
    in(ChecksDone{});
  }
};

TEST_F(Service, ClosedUntilTheGestureAndThenOnlyTheUnlockScreenAnswers) {
  EXPECT_TRUE(in(ServiceGo{ServiceScreen::checklist}).empty());
  EXPECT_EQ(screen(), ServiceScreen::closed);
  auto fx = in(OpenService{true, true});
  EXPECT_EQ(screen(), ServiceScreen::unlock);
  EXPECT_EQ(audits(fx), std::vector<std::string>{"service_requested"});
  // Every action of an unlocked technician does nothing while locked.
  const std::vector<ServiceInput> actions{
      ServiceGo{ServiceScreen::checklist}, ServiceGo{ServiceScreen::factory_reset}, RunChecks{true},
      TestDevice{DeviceKind::printer},     ChooseDevice{DeviceKind::printer, "tcp:10.0.0.9:9100"},
      ChooseSetting{"printer.width_dots=384"}, LoadQueue{},
      RetryApplication{"a"},               DiscardApplication{"a", "duplicate"},
      ExportLogs{},                        ConfirmFactoryReset{"1234"},
      ChecksDone{},                        DevicesListed{},
      QueueListed{},                       ServiceActionDone{true, "x"},
      FactoryResetDone{true, "x"},         EnrolDone{true, "620702-001-K01", ""},
      ServiceCode{"bianmin-enrol:?central=https://c&code=1&ca=sha256:00", true}};  // enrolled: not a way in
  for (const auto& a : actions) {
    EXPECT_TRUE(in(a).empty()) << a.index();
    EXPECT_EQ(screen(), ServiceScreen::unlock) << a.index();
    EXPECT_FALSE(s.view().unlocked());
  }
}

TEST_F(Service, PinIsCheckedByTheShellAndAWrongOneIsAuditedAndCounted) {
  in(OpenService{true, true});
  auto fx = in(EnterPin{"111111"});
  ASSERT_TRUE(find_effect<DoCheckPin>(fx));
  EXPECT_EQ(find_effect<DoCheckPin>(fx)->pin, "111111");
  EXPECT_TRUE(s.view().busy);
  EXPECT_TRUE(in(EnterPin{"222222"}).empty());  // one check at a time
  fx = in(CredentialChecked{false, "", 4, 0});
  EXPECT_EQ(screen(), ServiceScreen::unlock);
  EXPECT_EQ(s.view().notice, "service.credential_wrong");
  EXPECT_EQ(s.view().attempts_left, 4);
  EXPECT_EQ(audits(fx), std::vector<std::string>{"service_denied wrong credential"});
  in(EnterPin{"333333"});
  in(CredentialChecked{false, "", 0, 300});
  EXPECT_EQ(s.view().notice, "service.locked");
  EXPECT_EQ(s.view().locked_for_s, 300);
  in(EnterPin{"246810"});
  fx = in(CredentialChecked{true, "pin", 5, 0});
  EXPECT_EQ(screen(), ServiceScreen::checklist);
  EXPECT_EQ(s.view().technician, "pin");
  EXPECT_EQ(audits(fx), std::vector<std::string>{"service_enter pin"});
}

TEST_F(Service, WithoutAPinOnlyACardOpensAnEnrolledTerminal) {
  in(OpenService{true, false});
  EXPECT_TRUE(in(EnterPin{"000000"}).empty());
  EXPECT_EQ(s.view().notice, "service.no_pin_set");
  auto fx = in(card_read());
  ASSERT_TRUE(find_effect<DoCheckCard>(fx));
  EXPECT_EQ(find_effect<DoCheckCard>(fx)->id_number, "620702199003071232");
  in(CredentialChecked{true, "card:620702********1232", 5, 0});
  EXPECT_EQ(screen(), ServiceScreen::checklist);
}

TEST_F(Service, AFreshTerminalIsEnrolledByScanningTheWorkOrderQr) {
  in(OpenService{false, false});
  EXPECT_TRUE(in(ServiceCode{"https://example.org/not-enrolment", false}).empty());
  EXPECT_EQ(screen(), ServiceScreen::unlock);
  const std::string qr = "bianmin-enrol:?central=https%3A%2F%2F127.0.0.1%3A8443&code=ABCD&ca=sha256:" + std::string(64, 'a');
  auto fx = in(ServiceCode{qr, true});
  EXPECT_EQ(screen(), ServiceScreen::enrol);
  ASSERT_TRUE(find_effect<DoEnrol>(fx));
  EXPECT_EQ(find_effect<DoEnrol>(fx)->payload, qr);
  EXPECT_EQ(audits(fx), std::vector<std::string>{"service_enter enrolment-code"});
  fx = in(EnrolDone{false, "", "the central refused the code: already used"});
  EXPECT_EQ(s.view().notice, "service.enrol_failed");
  EXPECT_FALSE(s.view().enrolled);
  EXPECT_TRUE(in(ServiceCode{"hello", false}).empty());
  EXPECT_EQ(s.view().notice, "service.not_enrol_code");
  in(ServiceCode{qr, true});
  fx = in(EnrolDone{true, "620702-001-K01", "enrolled as 620702-001-K01"});
  EXPECT_TRUE(s.view().enrolled);
  EXPECT_EQ(audits(fx), std::vector<std::string>{"service_enrolled 620702-001-K01"});
  // The checklist is run afresh for the enrolled terminal.
  EXPECT_TRUE(find_effect<DoRunChecks>(in(ServiceGo{ServiceScreen::checklist})));
  in(ChecksDone{});
  EXPECT_FALSE(find_effect<DoRunChecks>(in(ServiceGo{ServiceScreen::checklist})));
}

TEST_F(Service, DeviceTestsShowMaskedCardDataAndWhatTheScannerRead) {
  unlock_with_pin();
  in(ServiceGo{ServiceScreen::devices});
  auto fx = in(TestDevice{DeviceKind::idcard});
  EXPECT_FALSE(find_effect<DoTestDevice>(fx));  // the card answers when it is placed
  in(card_read());
  ASSERT_TRUE(s.view().test);
  EXPECT_TRUE(s.view().test->ok);
  for (const auto& line : s.view().test->lines) {
    EXPECT_EQ(line.find("张三丰"), std::string::npos) << line;
    EXPECT_EQ(line.find("620702199003071232"), std::string::npos) << line;
  }
  EXPECT_EQ(s.view().test->lines[1], "620702********1232");

  fx = in(TestDevice{DeviceKind::printer});
  ASSERT_TRUE(find_effect<DoTestDevice>(fx));
  EXPECT_EQ(find_effect<DoTestDevice>(fx)->device, DeviceKind::printer);
  in(DeviceTested{DeviceKind::camera, true, {"stale"}});  // not the device under test
  EXPECT_FALSE(s.view().test);
  fx = in(DeviceTested{DeviceKind::printer, false, {"paper out"}});
  EXPECT_FALSE(s.view().test->ok);
  EXPECT_EQ(audits(fx), std::vector<std::string>{"device_test printer: failed"});
  // The speaker says a prompt on the shell's worker.
  fx = in(TestDevice{DeviceKind::speaker});
  ASSERT_TRUE(find_effect<DoTestDevice>(fx));
  EXPECT_EQ(find_effect<DoTestDevice>(fx)->device, DeviceKind::speaker);
  in(DeviceTested{DeviceKind::speaker, true, {"请将身份证放在感应区", "3.9 s, peak 0.54"}});
  EXPECT_TRUE(s.view().test->ok);

  in(TestDevice{DeviceKind::scanner});
  in(ServiceCode{"6901234567892", false});
  ASSERT_TRUE(s.view().test);
  EXPECT_EQ(s.view().test->lines, std::vector<std::string>{"6901234567892"});
}

TEST_F(Service, SettingsAndQueueActionsGoToTheShellWithTheTechnician) {
  unlock_with_pin();
  auto fx = in(ServiceGo{ServiceScreen::settings});
  ASSERT_TRUE(find_effect<DoListDevices>(fx));
  DeviceChoices ch;
  ch.printer = {"usb:0416:5011", "tcp:127.0.0.1:9100"};
  in(DevicesListed{ch});
  EXPECT_EQ(s.view().choices.printer.size(), 2u);
  fx = in(ChooseDevice{DeviceKind::printer, "usb:0416:5011"});
  ASSERT_TRUE(find_effect<DoSaveSetting>(fx));
  EXPECT_EQ(find_effect<DoSaveSetting>(fx)->key, "devices.printer");
  EXPECT_EQ(audits(fx), std::vector<std::string>{"setting_changed devices.printer=usb:0416:5011"});
  fx = in(ServiceActionDone{true, "devices.printer = usb:0416:5011"});
  EXPECT_TRUE(find_effect<DoListDevices>(fx));  // shown as it is now
  in(DevicesListed{ch});
  // The printer's profile and the voice's volume are settings of their own
  // (KEY=VALUE, as the screen offers them).
  fx = in(ChooseSetting{"printer.width_dots=576"});
  ASSERT_TRUE(find_effect<DoSaveSetting>(fx));
  EXPECT_EQ(find_effect<DoSaveSetting>(fx)->key, "printer.width_dots");
  EXPECT_EQ(find_effect<DoSaveSetting>(fx)->value, "576");
  in(ServiceActionDone{true, "printer.width_dots = 576"});
  in(DevicesListed{ch});
  fx = in(ChooseSetting{"voice.volume=60"});
  ASSERT_TRUE(find_effect<DoSaveSetting>(fx));
  EXPECT_EQ(find_effect<DoSaveSetting>(fx)->key, "voice.volume");
  EXPECT_EQ(audits(fx), std::vector<std::string>{"setting_changed voice.volume=60"});
  in(ServiceActionDone{true, "voice.volume = 60"});
  in(DevicesListed{ch});
  EXPECT_TRUE(in(ChooseSetting{"no assignment"}).empty());

  fx = in(ServiceGo{ServiceScreen::queue});
  ASSERT_TRUE(find_effect<DoLoadQueue>(fx));
  in(QueueListed{{{"c-1", "620702-GG-0002", "422 field_invalid", "2026-12-01T09:00:00+08:00"}}});
  EXPECT_TRUE(in(DiscardApplication{"c-1", "  "}).empty());
  EXPECT_EQ(s.view().notice, "service.reason_required");
  fx = in(DiscardApplication{"c-1", "duplicate of c-2"});
  ASSERT_TRUE(find_effect<DoDiscard>(fx));
  EXPECT_EQ(find_effect<DoDiscard>(fx)->technician, "pin");
  EXPECT_EQ(find_effect<DoDiscard>(fx)->reason, "duplicate of c-2");
  fx = in(ServiceActionDone{true, "discarded"});
  EXPECT_TRUE(find_effect<DoLoadQueue>(fx));
  in(QueueListed{});
  fx = in(RetryApplication{"c-9"});
  ASSERT_TRUE(find_effect<DoRetry>(fx));
}

TEST_F(Service, AnUpdateFromTheStickInstallsOnlyAListedBundleAndKeepsServiceModeOpenWhileItRuns) {
  unlock_with_pin();
  auto fx = in(ServiceGo{ServiceScreen::system_update});
  ASSERT_TRUE(find_effect<DoFindBundles>(fx));
  EXPECT_TRUE(s.view().busy);
  in(BundlesFound{{"booted slot: A"}, "/media/usb", {{"/media/usb/bianmin-0.2.0.raucb", "bianmin-0.2.0.raucb", 369 << 20}}});
  EXPECT_FALSE(s.view().busy);
  ASSERT_EQ(s.view().update.bundles.size(), 1u);
  // A path the shell did not list (another screen's, a forged one) is not installed.
  EXPECT_TRUE(in(InstallUpdate{"/var/lib/bianmin/other.raucb"}).empty());
  fx = in(InstallUpdate{"/media/usb/bianmin-0.2.0.raucb"});
  ASSERT_TRUE(find_effect<DoInstallUpdate>(fx));
  EXPECT_EQ(find_effect<DoInstallUpdate>(fx)->technician, "pin");
  EXPECT_EQ(audits(fx), std::vector<std::string>{"update_install pin: bianmin-0.2.0.raucb"});
  EXPECT_TRUE(s.view().installing);
  // RAUC writes for minutes: service mode does not time out meanwhile, and
  // a second tap installs nothing twice.
  advance(600s);
  EXPECT_EQ(screen(), ServiceScreen::system_update);
  EXPECT_TRUE(in(InstallUpdate{"/media/usb/bianmin-0.2.0.raucb"}).empty());
  fx = in(ServiceActionDone{true, "installed 0.2.0 into slot B"});
  EXPECT_FALSE(s.view().installing);
  EXPECT_TRUE(find_effect<DoFindBundles>(fx));  // the slots shown as they are now
  EXPECT_EQ(s.view().message, "installed 0.2.0 into slot B");
  EXPECT_EQ(s.view().notice, "service.done");
}

TEST_F(Service, FactoryResetWantsTheDigitsShownOnTheScreen) {
  unlock_with_pin();
  in(ServiceGo{ServiceScreen::factory_reset});
  const std::string code = s.view().reset_code;
  ASSERT_EQ(code.size(), 4u);
  EXPECT_TRUE(in(ConfirmFactoryReset{"0000" == code ? "1111" : "0000"}).empty());
  EXPECT_EQ(s.view().notice, "service.reset_code_wrong");
  auto fx = in(ConfirmFactoryReset{code});
  ASSERT_TRUE(find_effect<DoFactoryReset>(fx));
  in(FactoryResetDone{true, "3 applications, 5 blobs erased"});
  EXPECT_EQ(s.view().notice, "service.reset_done");
}

TEST_F(Service, ClosesByItselfWhenLeftAloneButNeverDuringWork) {
  in(OpenService{true, true});
  advance(29s);
  EXPECT_EQ(screen(), ServiceScreen::unlock);
  auto fx = in(Tick{now += 2s});
  EXPECT_EQ(screen(), ServiceScreen::closed);
  EXPECT_TRUE(find_effect<DoCloseService>(fx));

  unlock_with_pin();
  advance(299s);
  EXPECT_EQ(s.view().countdown, -1);
  advance(2s);
  EXPECT_GT(s.view().countdown, 0);
  in(Touch{});
  advance(1s);
  EXPECT_EQ(s.view().countdown, -1);
  in(RunChecks{false});  // busy: a long check is never abandoned
  advance(400s);
  EXPECT_EQ(screen(), ServiceScreen::checklist);
  in(ChecksDone{});  // the wait counts from the answer
  advance(299s);
  EXPECT_EQ(s.view().countdown, -1);
  advance(2s);
  EXPECT_GT(s.view().countdown, 0);
  fx = in(Tick{now += 30s});
  EXPECT_EQ(screen(), ServiceScreen::closed);
  EXPECT_EQ(s.view().notice, "service.timed_out");
  EXPECT_EQ(audits(fx), std::vector<std::string>{"service_leave pin: service.timed_out"});
  // A worker's late answer finds service mode closed.
  EXPECT_TRUE(in(ChecksDone{}).empty());
  EXPECT_FALSE(s.view().report);
}

TEST_F(Service, LeavingIsAuditedAndGivesTheScreenBack) {
  unlock_with_pin();
  auto fx = in(LeaveService{});
  EXPECT_EQ(screen(), ServiceScreen::closed);
  EXPECT_TRUE(find_effect<DoCloseService>(fx));
  EXPECT_EQ(audits(fx), std::vector<std::string>{"service_leave pin: service.left"});
  EXPECT_FALSE(s.view().unlocked());
}

}  // namespace
}  // namespace bianmin::session
