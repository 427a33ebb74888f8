// The terminal image (image/build) booted in qemu, as a hall terminal boots:
// both services come up as the service user, the display shows the kiosk,
// syncd reaches the reference central on the host, the root is read-only,
// the data partition grew at first boot, the journal has the events with
// their fields, no key combination leaves the kiosk, and the watchdog
// restarts a hung kiosk. One boot serves every test (TCG boots take
// minutes); they run in the order written.
#include <gtest/gtest.h>
#include <png.h>

#include <cstdio>
#include <set>

#include "image/qemu_vm.h"
#include "sync/support/sync_fixture.h"

namespace bianmin::testing::image {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using sync::CentralProcess;
using sync::eventually;

constexpr const char* kTerminalId = "620702-001-K09";

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// How many distinct colours a PNG has (0 when it cannot be read): a blank or
// one-colour screen has one or two, the kiosk's home screen hundreds.
std::size_t distinct_colours(const std::string& path) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&img, path.c_str())) return 0;
  img.format = PNG_FORMAT_RGB;
  std::vector<unsigned char> px(PNG_IMAGE_SIZE(img));
  if (!png_image_finish_read(&img, nullptr, px.data(), 0, nullptr)) return 0;
  std::set<unsigned> colours;
  for (std::size_t i = 0; i + 2 < px.size(); i += 3) colours.insert(px[i] << 16 | px[i + 1] << 8 | px[i + 2]);
  return colours.size();
}

class BootedTerminal : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    central_ = new CentralProcess(tmp_->file("central"), {"--hostname", "10.0.2.2"});
    auto published = central_->cli({"publish-catalog", sample_catalog_path()});
    ASSERT_EQ(published.exit_code, 0) << published.err;
    ::mkdir(tmp_->file("vm").c_str(), 0700);
    VmOptions vm;
    vm.image = BIANMIN_IMAGE;
    vm.work_dir = tmp_->file("vm");
    // A USB serial adapter (FTDI), as a serial ID-card reader would come.
    vm.extra_args = {"-device", "qemu-xhci", "-chardev", "null,id=usbserial", "-device", "usb-serial,chardev=usbserial,always-plugged=on"};
    vm_ = new QemuVm(vm);
    ASSERT_TRUE(vm_->start()) << vm_->error();
    ASSERT_TRUE(vm_->wait_for_agent(900s)) << vm_->error() << "\n" << vm_->serial_log();
    std::printf("[ image ] guest agent answered %.0f s after power-on\n", vm_->seconds_since_start());
  }
  static void TearDownTestSuite() {
    delete vm_;
    delete central_;
    std::printf("[ image ] screenshots and logs were in %s\n", tmp_->path().c_str());
    delete tmp_;
  }
  void SetUp() override {
    if (!vm_ || HasFatalFailure()) GTEST_SKIP() << "the terminal did not boot";
  }

  static GuestResult sh(const std::string& script, std::chrono::seconds timeout = 60s) {
    return vm_->exec({"/bin/sh", "-c", script}, timeout);
  }
  static std::string property(const std::string& unit, const std::string& name) {
    return trim(sh("systemctl show -p " + name + " --value " + unit).out);
  }

  static TempDir* tmp_;
  static CentralProcess* central_;
  static QemuVm* vm_;
};

TempDir* BootedTerminal::tmp_ = nullptr;
CentralProcess* BootedTerminal::central_ = nullptr;
QemuVm* BootedTerminal::vm_ = nullptr;

TEST_F(BootedTerminal, BothServicesBecomeActive) {
  std::string states;
  const bool up = eventually([&] {
    states = sh("systemctl is-active bianmin-syncd.service bianmin-kiosk.service").out;
    return states == "active\nactive\n";
  }, 600s);
  EXPECT_TRUE(up) << states << sh("systemctl --no-pager status bianmin-syncd bianmin-kiosk; journalctl -b --no-pager | tail -80").out;
  std::printf("[ image ] both services active %.0f s after power-on\n", vm_->seconds_since_start());
}

TEST_F(BootedTerminal, ServicesRunAsTheServiceUserNeverRoot) {
  for (const char* unit : {"bianmin-syncd.service", "bianmin-kiosk.service"}) {
    const std::string pid = property(unit, "MainPID");
    ASSERT_NE(pid, "0") << unit;
    EXPECT_EQ(trim(sh("stat -c %U /proc/" + pid).out), "bianmin") << unit;
    EXPECT_EQ(property(unit, "Type"), "notify") << unit;
    EXPECT_NE(property(unit, "WatchdogUSec"), "0") << unit;
  }
}

TEST_F(BootedTerminal, UdevGivesTheServiceUserTheTerminalsDevices) {
  std::string node;
  const bool appeared = eventually([&] { return !(node = trim(sh("stat -c '%G %a' /dev/ttyUSB0").out)).empty(); }, 30s);
  EXPECT_TRUE(appeared) << sh("ls -l /dev/ttyUSB* /dev/bianmin; grep -H . /sys/bus/usb/devices/*/idVendor; lsmod | grep -i -e ftdi -e usbserial; "
                              "journalctl -b -k --no-pager | grep -i -e usb -e ftdi | tail -20").out;
  EXPECT_EQ(node, "bianmin 660");
  // The rules file is the package's, and udev read it without complaint.
  EXPECT_EQ(sh("test -f /usr/lib/udev/rules.d/70-bianmin.rules").exit_code, 0);
  EXPECT_EQ(sh("journalctl -b -u systemd-udevd --no-pager | grep -i '70-bianmin.rules'").out, "");
}

TEST_F(BootedTerminal, TheRootFileSystemIsReadOnly) {
  auto root = sh("awk '$2 == \"/\" { print $4 }' /proc/self/mounts");
  EXPECT_EQ(root.out.rfind("ro,", 0), 0u) << root.out;
  auto write = sh("touch /usr/bianmin-write-test");
  EXPECT_NE(write.exit_code, 0);
  EXPECT_NE(write.err.find("Read-only file system"), std::string::npos) << write.err;
}

TEST_F(BootedTerminal, TheDataPartitionGrewAndHoldsTheDeviceKey) {
  auto size = sh("df -B1 --output=size /var/lib/bianmin | tail -1");
  // 128 MiB in the image; the 4 GiB disk leaves it 4 GiB - 64 MiB - 2 slots, about 1.1 GiB.
  EXPECT_GT(std::atoll(size.out.c_str()), 900LL << 20) << "the data partition did not grow to the end of the disk: " << size.out;
  EXPECT_EQ(trim(sh("stat -c '%U %a' /var/lib/bianmin/device.key").out), "bianmin 600");
  EXPECT_EQ(trim(sh("stat -c '%U %a' /var/lib/bianmin").out), "bianmin 700");
}

TEST_F(BootedTerminal, SyncdReachesTheCentralOnceEnrolled) {
  const std::string code = central_->enrollment_code(kTerminalId);
  const std::string url = "https://10.0.2.2:" + std::to_string(central_->port());
  auto enrolled = sh("runuser -u bianmin -- bianmin enroll --central " + url + " --code " + code +
                     " --ca-fingerprint " + central_->fingerprint() + " --json", 120s);
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.out << enrolled.err;
  json terminal;
  const bool heartbeat = eventually([&] {
    auto list = json::parse(central_->cli({"terminals"}).out, nullptr, false);
    if (list.is_array())
      for (const auto& t : list)
        if (t.value("terminal_id", "") == kTerminalId && t.contains("last_heartbeat_at") &&
            !t["last_heartbeat_at"].is_null())
          terminal = t;
    return !terminal.is_null();
  }, 300s);
  EXPECT_TRUE(heartbeat) << central_->cli({"terminals"}).out
                         << sh("journalctl -b -u bianmin-syncd --no-pager | tail -40").out;
}

TEST_F(BootedTerminal, TheDisplayShowsTheKioskHomeScreen) {
  // The catalogue came from the central after enrolment; the kiosk shows it.
  EXPECT_TRUE(eventually([&] {
    return sh("journalctl -b -u bianmin-kiosk -o cat BIANMIN_EVENT='first frame' | grep -c .").out != "0\n";
  }, 300s)) << sh("journalctl -b -u bianmin-kiosk --no-pager | tail -40").out;
  std::this_thread::sleep_for(20s);  // the catalogue's arrival and a few frames under TCG
  const std::string shot = tmp_->file("home.png");
  ASSERT_TRUE(vm_->screendump(shot));
  const std::size_t colours = distinct_colours(shot);
  EXPECT_GT(colours, 64u) << "the display looks blank: " << shot;
  std::printf("[ image ] home screen %s: %zu colours\n", shot.c_str(), colours);
  std::rename(shot.c_str(), (std::string(BIANMIN_IMAGE_SHOTS) + "/home.png").c_str());
}

TEST_F(BootedTerminal, TheJournalHasEventsWithTheirFields) {
  auto events = sh("journalctl -b -o json BIANMIN_COMPONENT=sync BIANMIN_EVENT='syncd started'");
  ASSERT_FALSE(events.out.empty()) << sh("journalctl -b -u bianmin-syncd -o json --no-pager | tail -3").out;
  auto first = json::parse(events.out.substr(0, events.out.find('\n')), nullptr, false);
  EXPECT_EQ(first.value("SYSLOG_IDENTIFIER", ""), "bianmin");
  EXPECT_EQ(first.value("BIANMIN_DATA_DIR", ""), "/var/lib/bianmin");
  EXPECT_EQ(first.value("PRIORITY", ""), "6");
}

TEST_F(BootedTerminal, NoConsoleAndNoKeyLeavesTheKiosk) {
  EXPECT_EQ(trim(sh("systemctl is-enabled getty@tty1.service serial-getty@ttyS0.service ctrl-alt-del.target "
                    "| sort -u").out), "masked");
  EXPECT_EQ(trim(sh("cat /proc/sys/kernel/sysrq").out), "0");
  const std::string before = property("bianmin-kiosk.service", "MainPID");
  for (const char* keys : {"ctrl-alt-f2", "alt-f3", "ctrl-alt-delete"}) {
    json key_list = json::array();
    std::string k = keys;
    for (std::size_t p = 0; p != std::string::npos;) {
      const auto dash = k.find('-', p);
      key_list.push_back({{"type", "qcode"}, {"data", k.substr(p, dash == std::string::npos ? dash : dash - p)}});
      p = dash == std::string::npos ? dash : dash + 1;
    }
    EXPECT_TRUE(vm_->send_keys(key_list)) << keys;
  }
  std::this_thread::sleep_for(5s);
  EXPECT_EQ(trim(sh("cat /sys/class/tty/tty0/active").out), "tty1");
  EXPECT_EQ(property("bianmin-kiosk.service", "MainPID"), before);
}

// Last: it stops the kiosk on purpose.
TEST_F(BootedTerminal, TheWatchdogRestartsAHungKiosk) {
  const std::string pid = property("bianmin-kiosk.service", "MainPID");
  const std::string restarts = property("bianmin-kiosk.service", "NRestarts");
  ASSERT_EQ(sh("kill -STOP " + pid).exit_code, 0);
  std::string now;
  const bool restarted = eventually([&] {
    now = property("bianmin-kiosk.service", "MainPID");
    return now != pid && now != "0" && property("bianmin-kiosk.service", "ActiveState") == "active";
  }, 240s);
  EXPECT_TRUE(restarted) << "MainPID " << pid << " → " << now;
  EXPECT_GT(std::atoi(property("bianmin-kiosk.service", "NRestarts").c_str()), std::atoi(restarts.c_str()));
  EXPECT_NE(sh("journalctl -b -u bianmin-kiosk --no-pager | grep -i watchdog").out, "");
}

}  // namespace
}  // namespace bianmin::testing::image
