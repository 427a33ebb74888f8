// `bianmin idcard read|status` and `bianmin sim idcard`, run as a user runs
// them: the real binary against the simulator on a pty.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <thread>

#include "idcard_sim_fixture.h"

namespace bianmin::drivers::idcard {
namespace {

using json = nlohmann::json;
using test::sample;
using testing::run_bianmin;

class IdcardCli : public test::SimFixture {
 protected:
  std::string device() const { return "serial:" + sim->path(); }
};

json parse_out(const testing::CommandResult& r) {
  try {
    return json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << r.out << " / " << r.err;
    return json::object();
  }
}

TEST_F(IdcardCli, ReadsAResidentCardAsJson) {
  transport->close();  // the CLI opens the port itself
  ctl("place " + sample("resident"));
  auto r = run_bianmin({"idcard", "read", "--device", device(), "--timeout", "5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = parse_out(r);
  EXPECT_EQ(j["card_type"], "resident");
  EXPECT_EQ(j["name"], "王美娜");
  EXPECT_EQ(j["sex"], "女");
  EXPECT_EQ(j["ethnicity"], "汉");
  EXPECT_EQ(j["birth_date"], "1949-12-31");
  EXPECT_EQ(j["address"], "北京市朝阳区建国路88号院3号楼2单元501室");
  EXPECT_EQ(j["id_number"], "11010519491231002X");
  EXPECT_EQ(j["id_number_valid"], true);
  EXPECT_EQ(j["issuer"], "北京市公安局朝阳分局");
  EXPECT_EQ(j["valid_from"], "2015-03-01");
  EXPECT_EQ(j["valid_until"], "长期");
  EXPECT_EQ(j["photo_bytes"], 1024);
  EXPECT_FALSE(j.contains("name_en"));
  // Nothing personal on stderr (logs are masked).
  EXPECT_EQ(r.err.find("王美娜"), std::string::npos);
  EXPECT_EQ(r.err.find("11010519491231002X"), std::string::npos);
}

TEST_F(IdcardCli, ReadsForeignAndGatCards) {
  transport->close();
  ctl("place " + sample("foreign-2023"));
  auto r = run_bianmin({"idcard", "read", "--device", device(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = parse_out(r);
  EXPECT_EQ(j["card_type"], "foreign_permanent");
  EXPECT_EQ(j["name_en"], "ABDULRAHMAN MOHAMMED BIN SALEH AL-QAHTANI");
  EXPECT_EQ(j["nationality"], "SAU");
  EXPECT_EQ(j["id_number"], "932682198501010017");
  EXPECT_EQ(j["id_number_valid"], true);

  ctl("swap " + sample("foreign-2017"));
  r = run_bianmin({"idcard", "read", "--device", device(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = parse_out(r);
  EXPECT_EQ(j["card_version"], "01");
  EXPECT_EQ(j["id_number"], "USA310085061512");

  ctl("swap " + sample("gat"));
  r = run_bianmin({"idcard", "read", "--device", device() + "@115200", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = parse_out(r);
  EXPECT_EQ(j["card_type"], "gat_residence");
  EXPECT_EQ(j["pass_number"], "H12345678");
  EXPECT_EQ(j["issue_count"], "01");  // as on the card, not the number 1 (issue 13)
  EXPECT_FALSE(j.contains("ethnicity"));
}

TEST_F(IdcardCli, WaitsForACardPlacedLater) {
  transport->close();
  std::thread later([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    ctl("place " + sample("resident-rare"));
  });
  auto r = run_bianmin({"idcard", "read", "--device", device(), "--timeout", "5", "--json"});
  later.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(parse_out(r)["name"], "陈𬌗䶮");
}

TEST_F(IdcardCli, ExitCodes) {
  transport->close();
  auto r = run_bianmin({"idcard", "read", "--device", device(), "--timeout", "0.3", "--json"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("no card"), std::string::npos);
  EXPECT_TRUE(r.out.empty());

  r = run_bianmin({"idcard", "read", "--device", "serial:/dev/no-such-reader", "--timeout", "1"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  r = run_bianmin({"idcard", "read", "--device", "bogus", "--timeout", "1"});
  EXPECT_EQ(r.exit_code, 4) << r.err;

  ctl("place " + sample("resident"));
  ctl("status 33 read");
  r = run_bianmin({"idcard", "read", "--device", device(), "--json"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("0x33"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("info_verify_failed"), std::string::npos) << r.err;

  ctl("silent 100");
  r = run_bianmin({"idcard", "read", "--device", device(), "--timeout", "1"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("no answer"), std::string::npos) << r.err;
}

TEST_F(IdcardCli, Status) {
  transport->close();
  auto r = run_bianmin({"idcard", "status", "--device", device(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = parse_out(r);
  EXPECT_EQ(j["reader"], "ready");
  EXPECT_EQ(j["sam_id"].get<std::string>().size(), 32u);
  EXPECT_EQ(j["card_present"], false);
  r = run_bianmin({"idcard", "status", "--device", "serial:/dev/no-such-reader", "--json"});
  EXPECT_EQ(r.exit_code, 4);
  j = parse_out(r);
  EXPECT_EQ(j["reader"], "absent");
  EXPECT_TRUE(j["error"].is_string());
}

// `bianmin sim idcard` as its own process, driven through stdin.
class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> args) {
    int in[2], out[2];
    EXPECT_EQ(::pipe(in), 0);
    EXPECT_EQ(::pipe(out), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      std::vector<std::string> all = {BIANMIN_BINARY, "sim", "idcard"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~SimProcess() {
    if (!reaped_) {
      ::kill(pid_, SIGTERM);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
    ::close(to_);
    ::close(from_);
  }
  // One line of stdout, within 5 s.
  std::string line() {
    std::string s;
    for (;;) {
      pollfd p{from_, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return s + "<timeout>";
      char c;
      if (::read(from_, &c, 1) != 1) return s + "<eof>";
      if (c == '\n') return s;
      s += c;
    }
  }
  std::string say(const std::string& cmd) {
    const std::string l = cmd + "\n";
    EXPECT_EQ(::write(to_, l.data(), l.size()), static_cast<ssize_t>(l.size()));
    return line();
  }
  // The exit status once it has exited by itself (within 2 s), else -1.
  int wait_exit() {
    int st = 0;
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        reaped_ = true;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

 private:
  bool reaped_ = false;
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
};

TEST(IdcardSimCli, AsANewUserRunsIt) {
  SimProcess sim({"--card", sample("gat")});
  const std::string path = sim.line();
  ASSERT_EQ(path.rfind("/dev/pts/", 0), 0u) << path;
  auto r = run_bianmin({"idcard", "read", "--device", "serial:" + path, "--timeout", "5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(parse_out(r)["name"], "陈嘉欣");

  EXPECT_EQ(sim.say("remove"), "ok removed");
  r = run_bianmin({"idcard", "read", "--device", "serial:" + path, "--timeout", "0.3", "--json"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(sim.say("place " + sample("resident")), "ok placed resident");
  EXPECT_EQ(sim.say("split 3 0"), "ok split 3");
  EXPECT_EQ(sim.say("garbage 17"), "ok garbage 17 bytes");
  r = run_bianmin({"idcard", "read", "--device", "serial:" + path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(parse_out(r)["name"], "王美娜");
  EXPECT_EQ(sim.say("nonsense").rfind("error", 0), 0u);
  EXPECT_EQ(sim.say("quit"), "ok bye");
  EXPECT_EQ(sim.wait_exit(), 0);
}

TEST(IdcardSimCli, HelpDocumentsTheControlCommands) {
  auto r = run_bianmin({"sim", "idcard", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"place", "remove", "swap", "delay", "split", "corrupt", "status SW3", "lift-mid-read"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  r = run_bianmin({"idcard", "read", "--help"});
  EXPECT_NE(r.out.find("serial:PATH[@BAUD]"), std::string::npos);
  EXPECT_NE(r.out.find("3 no card"), std::string::npos);
}

}  // namespace
}  // namespace bianmin::drivers::idcard
