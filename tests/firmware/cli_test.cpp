// The `bianmin` command line as technicians and scripts use it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store_fixture.h"

namespace bianmin {
namespace {

using json = nlohmann::json;
using testing::run_bianmin;

class Cli : public ::testing::Test {
 protected:
  testing::TempDir dir;
  std::vector<std::string> with_data(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data-dir", dir.path() + "/data", "--log-level", "warn"});
    return args;
  }
  testing::CommandResult bm(std::vector<std::string> args) { return run_bianmin(with_data(std::move(args))); }
  void import_mini() {
    auto r = bm({"catalog", "import", testing::fixture("mini-catalog.json")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(Cli, HelpForEveryCommand) {
  auto r = run_bianmin({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos);
  for (auto cmd : std::vector<std::vector<std::string>>{
           {"catalog", "search", "--help"}, {"submit", "--help"}, {"queue", "list", "--help"}, {"audit", "verify", "--help"}}) {
    auto h = run_bianmin(cmd);
    EXPECT_EQ(h.exit_code, 0) << cmd[0];
    EXPECT_NE(h.out.find("Usage"), std::string::npos);
  }
}

TEST_F(Cli, UsageErrorsExitOne) {
  EXPECT_EQ(run_bianmin({}).exit_code, 1);
  EXPECT_EQ(run_bianmin({"frobnicate"}).exit_code, 1);
  EXPECT_EQ(bm({"catalog", "search"}).exit_code, 1);
  EXPECT_EQ(bm({"submit", "--item", "X"}).exit_code, 1);
}

TEST_F(Cli, ImportThenSearchByPinyin) {
  import_mini();
  auto r = bm({"catalog", "search", "sfz", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["code"], "T-QR-0001");
  EXPECT_EQ(j[0]["name"], "居民身份证换领");
  auto show = bm({"catalog", "show", "T-QR-0001", "--json"});
  ASSERT_EQ(show.exit_code, 0);
  EXPECT_EQ(json::parse(show.out)["legal_basis"][0]["article"], "第十一条");
  EXPECT_EQ(bm({"catalog", "show", "NOPE"}).exit_code, 3);
}

TEST_F(Cli, RejectedCatalogueKeepsThePreviousOne) {
  import_mini();
  testing::write_file(dir.file("bad.json"), "{\"version\": 1");
  auto r = bm({"catalog", "import", dir.file("bad.json")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not valid JSON"), std::string::npos) << r.err;
  EXPECT_EQ(bm({"catalog", "search", "sfz", "--json"}).exit_code, 0);
}

TEST_F(Cli, SubmitThenQueueListShowsItQueued) {
  import_mini();
  testing::write_file(dir.file("page.jpg"), "\xff\xd8\xff fake jpeg");
  auto r = bm({"submit", "--item", "T-QR-0001", "--applicant", testing::fixture("applicant.json"), "--form",
               testing::fixture("form.json"), "--material", "m1=" + dir.file("page.jpg"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto sub = json::parse(r.out);
  EXPECT_EQ(sub["state"], "queued");
  auto q = bm({"queue", "list", "--json"});
  ASSERT_EQ(q.exit_code, 0);
  auto list = json::parse(q.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["state"], "queued");
  EXPECT_EQ(list[0]["client_id"], sub["client_id"]);
  EXPECT_EQ(list[0]["receipt_no"], sub["receipt_no"]);
  EXPECT_EQ(list[0]["blobs"][0]["mime"], "image/jpeg");
  EXPECT_EQ(q.out.find("620702199003071232"), std::string::npos) << "the queue listing shows no personal data";
  EXPECT_EQ(bm({"queue", "list", "--quarantined", "--json"}).out, "[]\n");
  EXPECT_EQ(bm({"audit", "verify"}).exit_code, 0);
  auto check = bm({"store", "check", "--json"});
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(json::parse(check.out)["integrity"], "ok");
}

TEST_F(Cli, ValidationErrorsNameFieldAndRule) {
  import_mini();
  testing::write_file(dir.file("a.json"), R"({"name":"张三","id_number":"620702199003071233","phone":"139"})");
  auto r = bm({"submit", "--item", "T-QR-0001", "--applicant", dir.file("a.json"), "--json"});
  EXPECT_EQ(r.exit_code, 2);
  auto j = json::parse(r.out);
  std::vector<std::string> got;
  for (const auto& i : j["error"]["issues"]) got.push_back(i["field"].get<std::string>() + ":" + i["rule"].get<std::string>());
  for (const char* want : {"applicant.id_number:id_check_digit", "applicant.phone:mobile_format",
                           "form.phone:required", "form.reason:required", "materials.m1:required"})
    EXPECT_NE(std::find(got.begin(), got.end(), want), got.end()) << want;
  EXPECT_NE(r.err.find("校验码"), std::string::npos);
  EXPECT_NE(r.err.find("check digit"), std::string::npos);
}

TEST_F(Cli, BrokenAuditChainExitsFiveAndNamesTheEntry) {
  import_mini();
  auto store = testing::open_store(dir);
  ASSERT_TRUE(store->db().exec("UPDATE audit_log SET type = 'forged' WHERE seq = 1").ok());
  store.reset();
  auto r = bm({"audit", "verify", "--json"});
  EXPECT_EQ(r.exit_code, 5);
  auto j = json::parse(r.out);
  EXPECT_EQ(j["problem"]["seq"], 1);
  EXPECT_EQ(j["problem"]["kind"], "altered");
}

TEST_F(Cli, ConfigFileAndFlagsOverride) {
  testing::write_file(dir.file("b.toml"), "[terminal]\ncode = \"K09\"\n[log]\nlevel = \"error\"\n");
  auto r = run_bianmin({"--config", dir.file("b.toml"), "--set", "store.busy_timeout_ms=77", "config", "show", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["terminal.code"], "K09");
  EXPECT_EQ(j["store.busy_timeout_ms"], 77);
  testing::write_file(dir.file("bad.toml"), "[terminal]\ncode = 3\n");
  auto bad = run_bianmin({"--config", dir.file("bad.toml"), "config", "show"});
  EXPECT_EQ(bad.exit_code, 4);
  EXPECT_NE(bad.err.find("bad.toml:2"), std::string::npos) << bad.err;
}

TEST_F(Cli, NewerDatabaseIsRefusedWithExitFour) {
  import_mini();
  {
    auto s = testing::open_store(dir);
    ASSERT_TRUE(s->db().exec("UPDATE schema_compat SET readers_from = 42; PRAGMA user_version = 42").ok());
  }
  auto r = bm({"queue", "list"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("newer than this firmware"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bianmin

namespace bianmin {
namespace {

class CliAdmin : public ::testing::Test {
 protected:
  testing::TempDir dir;
  std::vector<std::string> args(std::vector<std::string> a) {
    a.insert(a.begin(), {"--data-dir", dir.path() + "/data", "--config", dir.file("bianmin.toml"), "--log-level", "warn"});
    return a;
  }
};

TEST_F(CliAdmin, ConfigSetWritesTheFileAndIsAudited) {
  testing::write_file(dir.file("bianmin.toml"), "[terminal]\ncode = \"K03\"\n");
  auto r = testing::run_bianmin(args({"config", "set", "store.busy_timeout_ms=250"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("5000 → 250"), std::string::npos) << r.out;
  auto show = testing::run_bianmin(args({"config", "show", "--json"}));
  auto j = nlohmann::json::parse(show.out);
  EXPECT_EQ(j["store.busy_timeout_ms"], 250);
  EXPECT_EQ(j["terminal.code"], "K03") << "other settings survive";
  EXPECT_EQ(testing::run_bianmin(args({"config", "set", "store.busy_timeout_ms=soon"})).exit_code, 2);
  auto audit = testing::run_bianmin(args({"audit", "list"}));
  auto entries = nlohmann::json::parse(audit.out)["entries"];
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back()["type"], "config_change");
  EXPECT_EQ(entries.back()["data"]["setting"], "store.busy_timeout_ms");
}

TEST_F(CliAdmin, FactoryResetRefusesUndeliveredThenErasesAndAudits) {
  testing::write_file(dir.file("bianmin.toml"), "");
  ASSERT_EQ(testing::run_bianmin(args({"catalog", "import", testing::fixture("mini-catalog.json")})).exit_code, 0);
  testing::write_file(dir.file("page.jpg"), "page");
  ASSERT_EQ(testing::run_bianmin(args({"submit", "--item", "T-QR-0001", "--applicant", testing::fixture("applicant.json"),
                                       "--form", testing::fixture("form.json"), "--material", "m1=" + dir.file("page.jpg")}))
                .exit_code,
            0);
  EXPECT_EQ(testing::run_bianmin(args({"store", "factory-reset"})).exit_code, 1) << "--yes is required";
  auto refused = testing::run_bianmin(args({"store", "factory-reset", "--yes"}));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("not reached the central"), std::string::npos);
  auto done = testing::run_bianmin(args({"store", "factory-reset", "--yes", "--force"}));
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(testing::run_bianmin(args({"queue", "list", "--json"})).out, "[]\n");
  EXPECT_EQ(testing::run_bianmin(args({"catalog", "list"})).exit_code, 3);
  auto verify = testing::run_bianmin(args({"audit", "verify", "--json"}));
  EXPECT_EQ(verify.exit_code, 0) << "the chain survives the reset intact";
  auto entries = nlohmann::json::parse(testing::run_bianmin(args({"audit", "list"})).out)["entries"];
  EXPECT_EQ(entries.back()["type"], "factory_reset");
  EXPECT_EQ(entries.back()["data"]["undelivered_discarded"], 1);
}

}  // namespace
// Issue 13: `catalog show` and `catalog list` said "0个工作日" for 即办 items.
TEST_F(Cli, ZeroDayItemsAreShownAsJiBan) {
  ASSERT_EQ(bm({"catalog", "import", testing::sample_catalog_path()}).exit_code, 0);
  auto show = bm({"catalog", "show", "620702-GG-0002"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("承诺时限：即办"), std::string::npos) << show.out;
  auto list = bm({"catalog", "list", "--category", "public_service"});
  EXPECT_EQ(list.out.find("承诺0个工作日"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("承诺即办"), std::string::npos) << list.out;
}

}  // namespace bianmin

namespace bianmin {
namespace {

class CounterCli : public ::testing::Test {
 protected:
  testing::TempDir dir;
  testing::CommandResult bm(std::vector<std::string> args, const std::string& in = {}) {
    args.insert(args.begin(), {"--data-dir", dir.path() + "/data", "--log-level", "debug"});
    return testing::run_bianmin(args, in);
  }
};

TEST_F(CounterCli, ClerksAreProvisionedWithoutThePinEverShowing) {
  auto add = bm({"clerk", "add", "--id", "c007", "--name", "王芳", "--pin-stdin"}, "246810\n246810\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_EQ(bm({"clerk", "add", "--id", "c008", "--name", "李强", "--pin-stdin"}, "246810\n246811\n").exit_code, 2)
      << "the two PINs differ";
  EXPECT_EQ(bm({"clerk", "add", "--id", "c008", "--name", "李强", "--pin-stdin"}, "2468\n2468\n").exit_code, 2)
      << "too short";
  EXPECT_EQ(bm({"clerk", "add", "--id", "c007", "--name", "别人", "--pin-stdin"}, "135791\n135791\n").exit_code, 2)
      << "the number is taken";
  auto list = bm({"clerk", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0);
  const auto j = nlohmann::json::parse(list.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["id"], "c007");
  EXPECT_EQ(j[0]["name"], "王芳");
  EXPECT_EQ(j[0]["state"], "active");
  EXPECT_EQ(list.out.find("scrypt"), std::string::npos) << "never the hash";
  EXPECT_EQ(bm({"clerk", "disable", "c007"}).exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(bm({"clerk", "list", "--json"}).out)[0]["state"], "disabled");
  EXPECT_EQ(bm({"clerk", "disable", "nobody"}).exit_code, 3);
  auto reset = bm({"clerk", "reset-pin", "c007", "--pin-stdin"}, "112233\n112233\n");
  EXPECT_EQ(reset.exit_code, 0) << reset.err;
  // Nothing a command printed, even at debug level, holds a PIN.
  for (const auto* out : {&add.out, &add.err, &reset.out, &reset.err, &list.err}) {
    EXPECT_EQ(out->find("246810"), std::string::npos);
    EXPECT_EQ(out->find("112233"), std::string::npos);
  }
  const auto audit = bm({"audit", "list"});
  EXPECT_NE(audit.out.find("clerk added: c007"), std::string::npos) << audit.out.substr(0, 300);
  EXPECT_EQ(audit.out.find("246810"), std::string::npos);
}

TEST_F(CounterCli, TicketsTakenAreListedWithTheirState) {
  auto a = bm({"--set", "queue.lines=A:综合受理;B:社保医保:行政给付", "queue", "take", "B", "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(nlohmann::json::parse(a.out)["number"], "B001");
  EXPECT_EQ(bm({"queue", "take", "A"}).exit_code, 0);
  EXPECT_EQ(bm({"queue", "take", "Q"}).exit_code, 3);
  auto t = bm({"queue", "tickets", "--json"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const auto j = nlohmann::json::parse(t.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["number"], "B001");
  EXPECT_EQ(j[0]["line_name"], "社保医保");
  EXPECT_EQ(j[1]["number"], "A001");
  EXPECT_EQ(j[1]["state"], "waiting");
}

}  // namespace
}  // namespace bianmin
