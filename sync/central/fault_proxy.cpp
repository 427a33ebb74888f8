#include "central/fault_proxy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "base/fs.h"

namespace bianmin::sync::central {

struct FaultProxy::Link {
  int client = -1, server = -1;
  int64_t cut_at = 0, truncate_down_at = 0;
  std::atomic<int64_t> total{0}, down{0};
  std::atomic<bool> cut{false};
  int latency_ms = 0;
  ~Link() {
    if (client >= 0) ::close(client);
    if (server >= 0) ::close(server);
  }
  void sever() {
    if (cut.exchange(true)) return;
    // RST rather than FIN: a cut network does not say goodbye.
    linger l{1, 0};
    ::setsockopt(client, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::setsockopt(server, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(server, SHUT_RDWR);
  }
};

namespace {

// What a 1500-byte Ethernet frame carries of TCP payload (with timestamps).
constexpr int64_t kSegment = 1448;

bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

Result<sockaddr_in> resolve(const std::string& host, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  const std::string h = host == "localhost" ? "127.0.0.1" : host;
  if (::inet_pton(AF_INET, h.c_str(), &a.sin_addr) != 1) return make_error("input_invalid", "not an IPv4 address: " + host);
  return a;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  in_addr a{};
  return ::inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

FaultProxy::FaultProxy(std::string target_host, int target_port)
    : target_host_(std::move(target_host)), target_port_(target_port) {}

FaultProxy::~FaultProxy() { stop(); }

Result<int> FaultProxy::start(const std::string& host, int port) {
  if (!is_loopback_host(host) || !is_loopback_host(target_host_))
    return make_error("input_invalid", "the fault proxy works on loopback only (127.0.0.0/8)");
  BIANMIN_ASSIGN(sockaddr_in addr, resolve(host, port));
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 512) != 0)
    return fs::errno_error("bind", host + ":" + std::to_string(port));
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  refilled_[0] = refilled_[1] = std::chrono::steady_clock::now();
  acceptor_ = std::thread([this] { accept_loop(); });
  return static_cast<int>(ntohs(addr.sin_port));
}

void FaultProxy::stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& w : links_)
      if (auto l = w.lock()) l->sever();
  }
  while (live_relays_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void FaultProxy::set_plan(const FaultPlan& plan) {
  std::lock_guard<std::mutex> lock(mu_);
  plan_ = plan;
  if (plan.down)
    for (auto& w : links_)
      if (auto l = w.lock(); l && !l->cut.load()) {
        l->sever();
        ++cuts_;
      }
}

FaultPlan FaultProxy::plan() const {
  std::lock_guard<std::mutex> lock(mu_);
  return plan_;
}

ProxyStats FaultProxy::stats() const {
  ProxyStats s{connections_.load(), cuts_.load(), bytes_up_.load(), bytes_down_.load(), {}, {}};
  std::lock_guard<std::mutex> lock(bucket_mu_);
  s.first_byte_at = first_byte_at_;
  s.last_byte_at = last_byte_at_;
  return s;
}

void FaultProxy::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    auto link = std::make_shared<Link>();
    link->client = client;
    FaultPlan plan;
    {
      std::lock_guard<std::mutex> lock(mu_);
      plan = plan_;
      if (plan.cut_after_bytes > 0) {
        link->cut_at = plan.cut_after_bytes;
      } else if (plan.cut_random_max > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < plan.cut_probability) {
        link->cut_at = std::uniform_int_distribution<int64_t>(1, plan.cut_random_max)(rng_);
      }
      std::erase_if(links_, [](const std::weak_ptr<Link>& w) { return w.expired(); });
      links_.push_back(link);
    }
    link->truncate_down_at = plan.truncate_down_at;
    link->latency_ms = plan.latency_ms;
    ++connections_;
    if (plan.down) {
      link->sever();
      continue;
    }
    auto target = resolve(target_host_, target_port_);
    link->server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!target || ::connect(link->server, reinterpret_cast<const sockaddr*>(&*target), sizeof *target) != 0) {
      link->sever();
      continue;
    }
    const int one = 1;
    ::setsockopt(link->client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(link->server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    live_relays_ += 2;
    std::thread([this, link] { relay(link, true); }).detach();
    std::thread([this, link] { relay(link, false); }).detach();
  }
}

void FaultProxy::take_tokens(bool up, int64_t n) {
  const int64_t rate = plan().rate_bytes_per_s;
  if (rate <= 0) return;
  const int i = up ? 0 : 1;
  std::chrono::duration<double> wait{0};
  {
    std::lock_guard<std::mutex> lock(bucket_mu_);
    const auto now = std::chrono::steady_clock::now();
    // At most one segment of credit: a link that stood idle cannot send the
    // time it lost afterwards at loopback speed (a deeper bucket would hide
    // every pause of the endpoints shorter than its depth from the goodput).
    // The segment of credit absorbs sleep_for's overshoot, so pacing at full
    // rate loses nothing to timer slack.
    const double burst = static_cast<double>(kSegment);
    tokens_[i] = std::min(burst, tokens_[i] + std::chrono::duration<double>(now - refilled_[i]).count() * static_cast<double>(rate));
    refilled_[i] = now;
    tokens_[i] -= static_cast<double>(n);
    if (tokens_[i] < 0) wait = std::chrono::duration<double>(-tokens_[i] / static_cast<double>(rate));
  }
  if (wait.count() > 0) std::this_thread::sleep_for(wait);
}

void FaultProxy::note_forwarded(bool up, int64_t n) {
  if (n <= 0) return;
  (up ? bytes_up_ : bytes_down_) += n;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(bucket_mu_);
  if (first_byte_at_ == std::chrono::steady_clock::time_point{}) first_byte_at_ = now;
  last_byte_at_ = now;
}

void FaultProxy::relay(std::shared_ptr<Link> link, bool up) {
  const int src = up ? link->client : link->server;
  const int dst = up ? link->server : link->client;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::recv(src, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || link->cut.load()) {
      ::shutdown(dst, SHUT_WR);  // pass the end of the stream on
      break;
    }
    if (link->latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(link->latency_ms));
    // A rate-limited link serialises segment by segment: the first byte of a
    // 16 kB read arrives after one segment's time, not after all of it.
    bool sever = false;
    for (int64_t at = 0; at < n && !sever;) {
      const int64_t piece = plan().rate_bytes_per_s > 0 ? std::min<int64_t>(kSegment, n - at) : n - at;
      take_tokens(up, piece);
      int64_t forward = piece;
      const int64_t before = link->total.fetch_add(piece);
      if (link->cut_at > 0 && before + piece >= link->cut_at) {
        forward = std::max<int64_t>(0, link->cut_at - before);
        sever = true;
      }
      if (!up && link->truncate_down_at > 0) {
        const int64_t down_before = link->down.fetch_add(piece);
        if (down_before + piece >= link->truncate_down_at) {
          forward = std::min(forward, std::max<int64_t>(0, link->truncate_down_at - down_before));
          sever = true;
        }
      }
      if (forward > 0 && !link->cut.load() && !write_all(dst, buf + at, static_cast<std::size_t>(forward))) sever = true;
      note_forwarded(up, forward);
      at += piece;
    }
    if (sever) {
      if (!link->cut.load()) ++cuts_;
      link->sever();
      break;
    }
  }
  --live_relays_;
}

}  // namespace bianmin::sync::central
