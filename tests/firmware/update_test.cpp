// The update path's pieces that run without RAUC: GRUB's environment block
// as grub-editenv writes it, what a boot means for the slots, the gate an
// update's reboot waits on, and what diagnose says of the last update. RAUC
// itself, GRUB's choice and the reboots are exercised in qemu
// (tests/image/update_test.cpp).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "support/testing.h"
#include "update/grub_env.h"
#include "update/health_check.h"
#include "update/quiet_gate.h"
#include "update/stick_bundles.h"
#include "update/system_report.h"
#include "update/update_record.h"

namespace bianmin::update {
namespace {

using bianmin::testing::TempDir;
using namespace std::chrono_literals;

// A block as image/assemble creates it, then changed the way RAUC's GRUB
// backend and GRUB itself change it.
struct Block {
  TempDir dir;
  std::string path = dir.file("grubenv");
  Block() {
    auto r = bianmin::testing::run_program({"grub-editenv", path, "create"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    set({{"ORDER", "A B"}, {"A_OK", "1"}, {"A_TRY", "0"}, {"A_HEALTHY", "1"}, {"B_OK", "0"}, {"B_TRY", "0"}});
  }
  void set(const std::vector<std::pair<std::string, std::string>>& v) {
    auto st = edit_grub_env(path, v);
    ASSERT_TRUE(st) << st.error().message;
  }
  GrubEnv read() {
    auto env = GrubEnv::read(path);
    EXPECT_TRUE(env) << (env ? "" : env.error().message);
    return env ? *env : GrubEnv{};
  }
  // What an install into B does: the pre-install handler, RAUC's mark
  // not-bootable while writing, then primary with a fresh trial.
  void install_into_b() {
    set({{"B_HEALTHY", "0"}});
    set({{"B_OK", "0"}, {"B_TRY", "0"}});
    set({{"ORDER", "B A"}, {"B_OK", "1"}, {"B_TRY", "0"}});
  }
};

TEST(GrubEnv, ReadsTheBlockGrubEditenvWrites) {
  Block b;
  GrubEnv env = b.read();
  EXPECT_EQ(env.get("ORDER"), "A B");
  EXPECT_TRUE(env.is("A_HEALTHY", "1"));
  EXPECT_EQ(env.get("B_HEALTHY"), "");
  EXPECT_EQ(bianmin::testing::read_file(b.path).size(), 1024u);
}

TEST(GrubEnv, RefusesWhatIsNotABlock) {
  EXPECT_FALSE(GrubEnv::parse("ORDER=A B\n"));
  EXPECT_FALSE(GrubEnv::parse("# GRUB Environment Block\nno-equals-sign\n####"));
  EXPECT_FALSE(GrubEnv::parse("# GRUB Environment Block\nA_OK=1"));  // cut short
  auto env = GrubEnv::parse("# GRUB Environment Block\nx=a\\\nb\n#####");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->get("x"), "a\nb");
}

TEST(BootKind, FactorySlotBootsOrdinarily) {
  Block b;
  EXPECT_EQ(classify_boot(b.read(), "A"), BootKind::ordinary);
}

TEST(BootKind, NewSlotIsOnTrialUntilMarkedHealthy) {
  Block b;
  b.install_into_b();
  b.set({{"B_TRY", "1"}});  // GRUB spent the trial and booted B
  EXPECT_EQ(classify_boot(b.read(), "B"), BootKind::trial);
  b.set({{"B_OK", "1"}, {"B_TRY", "0"}, {"B_HEALTHY", "1"}});  // the health check
  EXPECT_EQ(classify_boot(b.read(), "B"), BootKind::ordinary);
  // A later install into A puts A on trial; B stays the healthy fallback.
  b.set({{"A_HEALTHY", "0"}, {"ORDER", "A B"}, {"A_OK", "1"}, {"A_TRY", "1"}});
  EXPECT_EQ(classify_boot(b.read(), "A"), BootKind::trial);
}

TEST(BootKind, BackOnTheOldSlotAfterAFailedTrialIsARollback) {
  Block b;
  b.install_into_b();
  b.set({{"B_TRY", "1"}});  // the trial was spent; B never proved healthy
  EXPECT_EQ(classify_boot(b.read(), "A"), BootKind::after_rollback);
  b.set({{"B_OK", "0"}, {"B_TRY", "0"}, {"ORDER", "A B"}});  // the check marked B bad
  EXPECT_EQ(classify_boot(b.read(), "A"), BootKind::ordinary);
}

TEST(BootKind, InstalledButNotYetBootedIsNoRollback) {
  Block b;
  b.install_into_b();  // reboot still pending: B's trial not spent
  EXPECT_EQ(classify_boot(b.read(), "A"), BootKind::ordinary);
}

TEST(QuietGate, RebootWaitsForTheSessionAndThenShutsOutNewOnes) {
  TempDir d;
  auto session = hold_open(d.path());
  ASSERT_TRUE(session) << session.error().message;
  int asked = 0;
  auto blocked = shut_when_quiet(d.path(), 1ms, [&](std::chrono::seconds) { return ++asked < 3; });
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, "busy");
  EXPECT_EQ(asked, 3);
  session->release();
  auto reboot = shut_when_quiet(d.path(), 1ms, [](std::chrono::seconds) { return false; });
  ASSERT_TRUE(reboot) << reboot.error().message;
  auto late = hold_open(d.path());
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, "rebooting");
  reboot->release();
  EXPECT_TRUE(hold_open(d.path()));
}

TEST(QuietGate, SessionsDoNotBlockEachOther) {
  TempDir d;
  auto a = hold_open(d.path());
  auto b = hold_open(d.path());
  EXPECT_TRUE(a);
  EXPECT_TRUE(b);
}

TEST(UpdateRecord, SurvivesARoundTripAndIsReadableByRoot) {
  TempDir d;
  auto none = read_update_record(d.path());
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  ASSERT_TRUE(write_update_record(d.path(), {"0.2.0", Outcome::rolled_back, "kiosk not ready", "B", ""}));
  auto back = read_update_record(d.path());
  ASSERT_TRUE(back && *back);
  EXPECT_EQ((*back)->version, "0.2.0");
  EXPECT_EQ((*back)->outcome, Outcome::rolled_back);
  EXPECT_EQ((*back)->message, "kiosk not ready");
  EXPECT_EQ((*back)->slot, "B");
  EXPECT_FALSE((*back)->at.empty());
  bianmin::testing::write_file(d.file("update.json"), "{\"result\":\"exploded\"}");
  EXPECT_FALSE(read_update_record(d.path()));
  // A torn or hand-edited file is an error, never an exception.
  for (const char* bad : {"{\"result\":\"good\",\"version\":5}", "{\"result\":7}", "{\"version\":\"1\"", "[]"}) {
    auto r = parse_update_record(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "update_record_invalid");
  }
}

TEST(SystemFinding, WarnsOfARefusedFailedOrRolledBackUpdate) {
  nlohmann::json report = {{"slot", "A"},
                           {"slots", {{{"slot", "A"}, {"version", ""}, {"boot_status", "good"}},
                                      {{"slot", "B"}, {"version", "0.2.0"}, {"boot_status", "bad"}}}}};
  auto f = system_finding(report);
  EXPECT_EQ(f.verdict, diagnose::Verdict::ok);
  EXPECT_NE(f.figure.find("booted slot A"), std::string::npos);
  EXPECT_NE(f.figure.find("B: 0.2.0, bad"), std::string::npos);
  for (const char* bad : {"refused", "failed", "rolled_back"}) {
    report["last_update"] = {{"version", "0.2.0"}, {"result", bad}, {"at", "2026-12-07T08:00:00+08:00"}};
    auto w = system_finding(report);
    EXPECT_EQ(w.verdict, diagnose::Verdict::warn) << bad;
    EXPECT_FALSE(w.advice.empty());
  }
  report["last_update"]["result"] = "good";
  EXPECT_EQ(system_finding(report).verdict, diagnose::Verdict::ok);
  EXPECT_NE(system_finding({{"rauc", "no system D-Bus"}}).figure.find("not an A/B system"), std::string::npos);
}

TEST(StickBundles, FindsTheBundlesOnAStickAndStagesACopyOnlyTheServiceUserCanWrite) {
  TempDir stick, data;
  using bianmin::testing::write_file;
  using bianmin::testing::read_file;
  ::mkdir(stick.file("release").c_str(), 0755);
  ::mkdir(stick.file("release/old").c_str(), 0755);
  write_file(stick.file("bianmin-0.2.0.raucb"), std::string(5000, 'b'));
  write_file(stick.file("release/bianmin-0.1.9.raucb"), "older");
  write_file(stick.file("release/old/bianmin-0.1.0.raucb"), "too deep");
  write_file(stick.file(".bianmin-0.3.0.raucb"), "hidden");
  write_file(stick.file("notes.txt"), "not a bundle");
  auto found = find_bundles(stick.path());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].name, "bianmin-0.2.0.raucb");
  EXPECT_EQ(found[0].bytes, 5000);
  EXPECT_EQ(found[1].path, stick.file("release/bianmin-0.1.9.raucb"));

  // A partition that would keep less than the store's reserve: nothing copied.
  auto full = stage_bundle(found[0].path, data.path(), int64_t{1} << 60);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, "disk_full");
  auto staged = stage_bundle(found[0].path, data.path(), 0);
  ASSERT_TRUE(staged.ok()) << staged.error().message;
  EXPECT_EQ(read_file(*staged), std::string(5000, 'b'));
  struct stat st {};
  ASSERT_EQ(::stat(staged->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_uid, ::geteuid());
  // Staging another replaces the first; unstaging leaves nothing behind.
  auto second = stage_bundle(found[1].path, data.path(), 0);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(::access(staged->c_str(), F_OK), 0);
  unstage_bundles(data.path());
  EXPECT_NE(::access(data.file("updates-usb").c_str(), F_OK), 0);
  EXPECT_FALSE(stage_bundle(stick.file("gone.raucb"), data.path(), 0).ok());
  EXPECT_EQ(unescape_mount_path("/media/USB\\040DISK"), "/media/USB DISK");
  EXPECT_EQ(unescape_mount_path("/media/a\\134b\\0"), "/media/a\\b\\0");
}

}  // namespace
}  // namespace bianmin::update
