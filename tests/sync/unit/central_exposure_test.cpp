// Issue 16, item 6 and the low items: what an unauthenticated peer can cost
// the central (buffered bodies, idle and trickling sockets, enrolment
// guessing), the TLS suites both ends accept and the CA's name tag.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <thread>

#include "central_fixture.h"
#include "common/pki.h"
#include "common/wire.h"
#include "raw_tls.h"

namespace bianmin::sync {
namespace {

namespace rt = testing::tls;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kCbcSha1 = "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-SHA:AES128-SHA";
constexpr const char* kGcm = "ECDHE-ECDSA-AES128-GCM-SHA256";

class CentralExposure : public CentralSpec {};

// 4 unauthenticated 60 MiB POSTs grew the central by 286 MB: bodies were
// buffered whole before any handler looked at the client certificate.
TEST_F(CentralExposure, AnUnauthenticatedLargeBodyIsRefusedBeforeItIsRead) {
  constexpr int64_t kBody = int64_t{60} << 20;
  const int64_t peak_before = rt::peak_rss_bytes();
  auto attack = [&](const std::string& path, std::string* first_reply) {
    rt::Client c;
    if (!c.open(port_, {})) return;
    const std::string head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + std::to_string(kBody) + "\r\n\r\n";
    if (!c.write(head)) return;
    const std::string chunk(64 << 10, ' ');
    for (int64_t sent = 0; sent < kBody; sent += static_cast<int64_t>(chunk.size()))
      if (!c.write(chunk)) break;  // the central stopped reading
    *first_reply = c.read_some(2s);
  };
  std::vector<std::string> replies(4);
  std::vector<std::thread> peers;
  for (int i = 0; i < 4; ++i)
    peers.emplace_back(attack, i == 3 ? "/api/v1/enroll" : "/api/v1/applications", &replies[static_cast<std::size_t>(i)]);
  for (auto& p : peers) p.join();
  const int64_t grown = rt::peak_rss_bytes() - peak_before;
  EXPECT_LT(grown, int64_t{24} << 20) << "peak RSS grew by " << grown / (1 << 20) << " MiB";
  for (int i = 0; i < 4; ++i) {
    const std::string& r = replies[static_cast<std::size_t>(i)];
    // The reply may be lost to the reset of a socket still being written to;
    // when it arrives it is the refusal, never an acceptance.
    if (!r.empty()) {
      EXPECT_EQ(r.substr(0, 12), i == 3 ? "HTTP/1.1 413" : "HTTP/1.1 401") << r;
    }
  }
  // The central is still there for everyone else.
  HttpClient anon(url_, TlsTrust{central_->ca_pem(), "", "", ""}, {});
  EXPECT_EQ(anon.send({"GET", "/api/v1/health", {}, {}})->status, 200);
}

TEST_F(CentralExposure, AnUnauthenticatedPeerIsRefusedBeforeTheContinue) {
  rt::Client c;
  ASSERT_TRUE(c.open(port_, {})) << c.error();
  ASSERT_TRUE(c.write("POST /api/v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Content-Length: 1000000\r\nExpect: 100-continue\r\n\r\n"));
  const std::string reply = c.read_some(3s);
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 401") << reply;
}

// 64 idle sockets held every worker of the central for 24 s. `source`
// gives the address of the i-th idle socket.
class IdleSockets : public CentralExposure {
 protected:
  // How long a terminal's new connection waited for its answer.
  std::chrono::milliseconds answer_with_idle_sockets(const std::function<std::string(int)>& source) {
    auto terminal = enrolled("idle");
    const TlsTrust trust = trust_of(enrolment_);
    std::vector<int> idle;
    const int pool = central::CentralOptions{}.threads;
    for (int i = 0; i < pool + 32; ++i) {  // more than the central has workers
      const int fd = rt::connect_loopback(port_, source(i));
      if (fd >= 0) idle.push_back(fd);
    }
    EXPECT_GE(idle.size(), static_cast<std::size_t>(pool));
    std::this_thread::sleep_for(300ms);  // let the central take them all on
    HttpClient fresh(url_, trust, HttpTimeouts{8, 8});  // a new connection, not the enrolment's
    const auto t0 = Clock::now();
    auto r = fresh.send({"GET", "/api/v1/catalog", {}, {}});
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
    for (int fd : idle) ::close(fd);
    EXPECT_TRUE(r.ok()) << r.error().message << " after " << took.count() << " ms";
    EXPECT_EQ(r.ok() ? r->status : 0, 200);
    return took;
  }
};

TEST_F(IdleSockets, FromOneAddressTheyDoNotStarveATerminal) {
  EXPECT_LT(answer_with_idle_sockets([](int) { return std::string("127.0.0.2"); }), 3s);
}

// Each from its own address, so no per-address limit applies: the central
// cuts idle connections short while a new one waits for a worker.
TEST_F(IdleSockets, FromManyAddressesTheyDoNotStarveATerminal) {
  auto own_address = [](int i) { return "127.0." + std::to_string(1 + i / 250) + "." + std::to_string(1 + i % 250); };
  EXPECT_LT(answer_with_idle_sockets(own_address), 4s);
}

// A peer that sends its request one byte at a time never hits a per-read
// timeout; the central cuts it when the headers are not complete in time.
TEST_F(CentralExposure, ATricklingRequestIsCutAtTheHeaderDeadline) {
  rt::Client c;
  ASSERT_TRUE(c.open(port_, {})) << c.error();
  const std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(200, 'z');
  const auto t0 = Clock::now();
  bool cut = false;
  for (std::size_t i = 0; i < request.size() && Clock::now() - t0 < 16s; ++i) {
    if (!c.write(std::string_view(request).substr(i, 1)) || c.closed_by_peer(250ms)) {
      cut = true;
      break;
    }
  }
  const auto held = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - t0);
  EXPECT_TRUE(cut) << "the trickling connection was still open after " << held.count() << " s";
  EXPECT_LE(held, 12s);
}

TEST_F(CentralExposure, TheCentralAcceptsOnlyAeadSuites) {
  rt::Client cbc;
  EXPECT_FALSE(cbc.open(port_, {"127.0.0.1", kCbcSha1, true, "", ""})) << "a CBC-SHA1 suite was negotiated";
  rt::Client gcm;
  EXPECT_TRUE(gcm.open(port_, {"127.0.0.1", kGcm, true, "", ""})) << gcm.error();
}

TEST(TerminalTls, TheTerminalOffersOnlyAeadSuites) {
  auto ca = pki::create_authority("suite test CA", 1);
  ASSERT_TRUE(ca.ok());
  auto cert = pki::issue_server_cert(*ca, {"127.0.0.1"}, 1);
  ASSERT_TRUE(cert.ok());
  auto attempt = [&](const char* server_suites) {
    rt::OneShotServer server(cert->cert_pem, cert->key_pem, server_suites);
    bool handshook = false;
    std::thread t([&] { handshook = server.serve_one(5s); });
    HttpClient client("https://127.0.0.1:" + std::to_string(server.port()), TlsTrust{ca->cert_pem, "", "", ""},
                      HttpTimeouts{3, 3});
    auto r = client.send({"GET", "/api/v1/health", {}, {}});
    t.join();
    return std::make_pair(handshook, r.ok() ? std::to_string(r->status) : r.error().code);
  };
  EXPECT_EQ(attempt(kGcm), std::make_pair(true, std::string("204")));  // the control
  EXPECT_EQ(attempt("ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA"), std::make_pair(false, std::string("tls_failed")));
}

TEST_F(CentralExposure, RepeatedFailedEnrolmentsAreThrottled) {
  HttpClient anon(url_, TlsTrust{central_->ca_pem(), "", "", ""}, {});
  const std::string wrong = json{{"enrollment_code", "WRONG"}, {"csr_pem", "x"}}.dump();
  int refused = 0;
  HttpResponse last;
  for (int i = 0; i < 30 && last.status != 429; ++i) {
    last = post(anon, "/api/v1/enroll", wrong);
    if (last.status == 403) ++refused;
  }
  ASSERT_EQ(last.status, 429) << "no throttle after " << refused << " wrong codes";
  EXPECT_GE(refused, 3);
  EXPECT_TRUE(wire::parse_retry_after(last.header("retry-after"), std::chrono::system_clock::now()).has_value());
  // While throttled, even a right code waits: guessing gains nothing.
  const std::string code = *central_->add_enrollment_code("620702-001-K09", "620702", "大厅", "", 1);
  EXPECT_EQ(post(anon, "/api/v1/enroll", json{{"enrollment_code", code}, {"csr_pem", "x"}}.dump()).status, 429);
}

// The CA's name tag came from std::rand(), never seeded: every central made
// the same "random" name.
TEST(CentralAuthority, EachCentralsCaHasItsOwnNameTag) {
  testing::TempDir dir;
  std::vector<std::string> names;
  for (const char* sub : {"c1", "c2"}) {
    std::srand(1);
    central::CentralOptions o;
    o.data_dir = dir.file(sub);
    auto c = central::Central::open(o);
    ASSERT_TRUE(c.ok()) << c.error().message;
    names.push_back(pki::inspect((*c)->ca_pem())->subject_cn);
  }
  EXPECT_NE(names[0], names[1]);
}

}  // namespace
}  // namespace bianmin::sync
