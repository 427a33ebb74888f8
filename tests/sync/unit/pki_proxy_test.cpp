// Enrolment PKI (both ends) and the fault proxy.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "central/fault_proxy.h"
#include "common/pki.h"

namespace bianmin::sync {
namespace {

TEST(Pki, TheCentralSignsATerminalsCsrAndOnlyItsCaVerifiesIt) {
  auto ca = pki::create_authority("test CA", 30);
  ASSERT_TRUE(ca.ok());
  auto other = pki::create_authority("other CA", 30);
  auto key = pki::generate_key();
  ASSERT_TRUE(key.ok());
  auto csr = pki::make_csr(*key, "serial-1");
  ASSERT_TRUE(csr.ok());
  auto issued = pki::sign_client_csr(*ca, *csr, "620702-001-K03", 30);
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  auto info = pki::inspect(issued->cert_pem);
  EXPECT_EQ(info->subject_cn, "620702-001-K03");
  EXPECT_FALSE(info->is_ca);
  EXPECT_TRUE(*pki::certificate_matches_key(issued->cert_pem, *key));
  EXPECT_FALSE(*pki::certificate_matches_key(issued->cert_pem, *pki::generate_key()));
  EXPECT_TRUE(*pki::verify_issued_by(issued->cert_pem, ca->cert_pem));
  EXPECT_FALSE(*pki::verify_issued_by(issued->cert_pem, other->cert_pem));
  EXPECT_TRUE(pki::inspect(ca->cert_pem)->is_ca);
  // A CSR that was tampered with is refused.
  std::string bad = *csr;
  bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(pki::sign_client_csr(*ca, bad, "x", 30).ok());
}

// Issue 16 (low): the central-supplied ca_chain_pem was pinned whole, so a
// central (or a man in the middle of enrolment holding one stolen server
// key) could add a root of its own. Only what the fingerprinted CA issued
// is pinned.
TEST(Pki, TheCentralCannotWidenThePinnedTrust) {
  auto ca = pki::create_authority("central CA", 1);
  auto rogue = pki::create_authority("someone else", 1);
  ASSERT_TRUE(ca.ok() && rogue.ok());
  auto server = pki::issue_server_cert(*ca, {"localhost"}, 1);
  ASSERT_TRUE(server.ok());
  auto pins = pki::pinned_bundle(ca->cert_pem, rogue->cert_pem + ca->cert_pem + server->cert_pem);
  ASSERT_TRUE(pins.ok()) << pins.error().message;
  auto certs = pki::split_certificates(pins->pem);
  ASSERT_TRUE(certs.ok());
  ASSERT_EQ(certs->size(), 1u);
  EXPECT_EQ(*pki::fingerprint((*certs)[0]), *pki::fingerprint(ca->cert_pem));
  EXPECT_EQ(pins->refused, (std::vector<std::string>{*pki::fingerprint(rogue->cert_pem),
                                                      *pki::fingerprint(server->cert_pem)}));
  // A certificate the rogue root issues does not verify against the pins.
  auto rogue_server = pki::issue_server_cert(*rogue, {"localhost"}, 1);
  EXPECT_FALSE(*pki::verify_issued_by(rogue_server->cert_pem, pins->pem));
}

TEST(Pki, FingerprintsAreSha256OfTheDerInAnySpelling) {
  auto ca = pki::create_authority("fp CA", 30);
  const std::string fp = *pki::fingerprint(ca->cert_pem);
  EXPECT_EQ(fp.size(), 64u);
  std::string colons;
  for (std::size_t i = 0; i < fp.size(); i += 2) colons += (i ? ":" : "") + fp.substr(i, 2);
  for (auto& c : colons) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(pki::normalize_fingerprint(colons), fp);
  EXPECT_EQ(pki::normalize_fingerprint("abc"), "");
  EXPECT_EQ(pki::split_certificates(ca->cert_pem + ca->cert_pem)->size(), 2u);
  EXPECT_FALSE(pki::split_certificates("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n").ok());
}

// A loopback echo server for the proxy tests.
class Echo {
 public:
  Echo() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::thread([c] {
          char buf[8192];
          ssize_t n;
          while ((n = ::recv(c, buf, sizeof buf, 0)) > 0)
            if (::send(c, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) break;
          ::close(c);
        }).detach();
      }
    });
  }
  ~Echo() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  int fd_ = -1, port_ = 0;
  std::thread thread_;
};

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  return fd;
}

// Sends `n` bytes and returns how many came back before the stream ended.
int64_t echo_through(int port, int64_t n) {
  const int fd = connect_to(port);
  std::thread writer([fd, n] {
    std::string chunk(4096, 'x');
    for (int64_t sent = 0; sent < n;) {
      const ssize_t w = ::send(fd, chunk.data(), static_cast<std::size_t>(std::min<int64_t>(4096, n - sent)), MSG_NOSIGNAL);
      if (w <= 0) break;
      sent += w;
    }
  });
  int64_t got = 0;
  char buf[8192];
  ssize_t r;
  while (got < n && (r = ::recv(fd, buf, sizeof buf, 0)) > 0) got += r;
  writer.join();
  ::close(fd);
  return got;
}

TEST(FaultProxy, PassesBytesThroughAndCutsAtTheChosenCount) {
  Echo echo;
  central::FaultProxy proxy("127.0.0.1", echo.port());
  auto port = proxy.start("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(echo_through(*port, 100000), 100000);
  central::FaultPlan plan;
  plan.cut_after_bytes = 3000;  // both directions together
  proxy.set_plan(plan);
  const int64_t got = echo_through(*port, 100000);
  EXPECT_LE(got, 1500);
  EXPECT_GE(proxy.stats().cuts, 1);
}

TEST(FaultProxy, LimitsBandwidthAndGoesDown) {
  Echo echo;
  central::FaultProxy proxy("127.0.0.1", echo.port());
  auto port = proxy.start("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  central::FaultPlan plan;
  plan.rate_bytes_per_s = 400000;
  proxy.set_plan(plan);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(echo_through(*port, 200000), 200000);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GT(secs, 0.4);  // 200 kB at 400 kB/s, less one burst
  EXPECT_LT(secs, 3.0);
  plan = {};
  plan.down = true;
  proxy.set_plan(plan);
  EXPECT_EQ(echo_through(*port, 1000), 0);
  EXPECT_FALSE(central::FaultProxy("10.0.0.1", 1).start("127.0.0.1", 0).ok());  // loopback only
}

}  // namespace
}  // namespace bianmin::sync
