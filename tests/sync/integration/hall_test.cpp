// Queue tickets across the terminals of one hall, as real binaries on
// loopback: the keeper's syncd serves its tickets (queue.listen), another
// terminal takes a number through it (queue.host) and both list the same
// line; with the keeper off, taking a number fails with a clear message.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync/support/sync_fixture.h"

namespace bianmin::testing::sync {
namespace {

// A loopback port nobody listens on right now.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// The "hall_queue" check of `bianmin diagnose --json`.
json hall_check(const TerminalDir& t) {
  auto r = t.bm({"diagnose", "--json"});
  auto report = json::parse(r.out, nullptr, false);
  if (report.is_object())
    for (const auto& c : report["checks"])
      if (c["id"] == "hall_queue") return c;
  return json{{"verdict", "missing"}, {"out", r.out}};
}

TEST(HallQueue, ACounterTakesANumberFromTheKeepersSyncdAndBothListTheSameLine) {
  TempDir tmp;
  CentralProcess central(tmp.file("central"));
  TerminalDir keeper(tmp.file("keeper")), counter(tmp.file("counter"));
  ASSERT_EQ(keeper.enroll(central, central.enrollment_code("620702-001-K01")).exit_code, 0);
  ASSERT_EQ(counter.enroll(central, central.enrollment_code("620702-001-K02")).exit_code, 0);
  const std::string port = std::to_string(free_port());
  keeper.sets = {"queue.listen=127.0.0.1:" + port, "queue.clients=620702-001-K02"};
  counter.sets = {"queue.host=https://127.0.0.1:" + port, "queue.host_terminal=620702-001-K01"};

  auto syncd = keeper.syncd(tmp.file("syncd.log"));
  CommandResult took;
  ASSERT_TRUE(eventually([&] { return (took = counter.bm({"queue", "take", "A", "--json"})).exit_code == 0; }, 20s))
      << took.err << read_file(tmp.file("syncd.log"));
  EXPECT_EQ(json::parse(took.out)["number"], "A001");
  ASSERT_EQ(keeper.bm({"queue", "take", "A"}).exit_code, 0);  // the keeper's own kiosk

  for (const TerminalDir* t : {&keeper, &counter}) {
    auto list = t->bm({"queue", "tickets", "--json"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    auto j = json::parse(list.out);
    ASSERT_EQ(j.size(), 2u) << list.out;
    EXPECT_EQ(j[0]["number"], "A001");
    EXPECT_EQ(j[1]["number"], "A002");
  }
  EXPECT_NE(read_file(tmp.file("syncd.log")).find("serving the hall's queue"), std::string::npos);
  // The technician's checklist says where the tickets are, on both.
  EXPECT_EQ(hall_check(counter)["verdict"], "ok") << hall_check(counter).dump();
  EXPECT_NE(hall_check(counter)["figure"].get<std::string>().find("620702-001-K01"), std::string::npos);
  EXPECT_EQ(hall_check(keeper)["verdict"], "ok") << hall_check(keeper).dump();

  syncd->stop(SIGTERM);
  auto off = counter.bm({"queue", "take", "A"});
  EXPECT_EQ(off.exit_code, 4);
  EXPECT_NE(off.err.find("127.0.0.1:" + port), std::string::npos) << off.err;
  const json down = hall_check(counter);
  EXPECT_EQ(down["verdict"], "fail") << down.dump();
  EXPECT_NE(down["advice"].get<std::string>().find("queue.listen"), std::string::npos) << down.dump();
}

}  // namespace
}  // namespace bianmin::testing::sync
