#include "client/daemon.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "base/fs.h"
#include "base/log.h"
#include "client/hub.h"
#include "client/lane.h"
#include "client/return_policy.h"
#include "outbox/delivery.h"

namespace bianmin::sync {
namespace {

struct LaneSpec {
  LaneId id;
  Millis (*step)(Lane&);
  bool needs_online;
};

constexpr LaneSpec kLanes[] = {
    {LaneId::probe, probe_step, false},        {LaneId::upload, upload_step, true},
    {LaneId::catalog, catalog_step, true},     {LaneId::status, status_step, true},
    {LaneId::feedback, feedback_step, true},   {LaneId::audit, audit_step, true},
    {LaneId::heartbeat, heartbeat_step, true}, {LaneId::retention, retention_step, false},
    {LaneId::update, update_step, true},
};

// systemd's watchdog is fed only while no lane has been inside one step for
// longer than a step can legitimately take (every request has its own
// timeouts, far below this): a lane stuck in a deadlock or a hung call
// restarts the daemon instead of silently never delivering again.
constexpr std::chrono::minutes kStuckStep{15};

struct LaneWatch {
  std::atomic<std::int64_t> step_started_ms{0};  // 0: between steps

  static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  bool stuck() const {
    const std::int64_t started = step_started_ms.load();
    return started != 0 && now_ms() - started > std::chrono::milliseconds(kStuckStep).count();
  }
};

void lane_thread(const LaneSpec& spec, Hub& hub, const SyncSettings& settings, const store::StoreOptions& so,
                 LaneWatch& watch) {
  std::unique_ptr<store::Store> store;
  while (!hub.stopping()) {
    auto opened = store::Store::open(so);
    if (opened) {
      store = std::move(opened).value();
      break;
    }
    log::error("sync", "cannot open the store", {{"lane", lane_name(spec.id)}, {"error", opened.error().message}});
    hub.wait(spec.id, Millis(5000));
  }
  if (!store) return;
  Lane lane(spec.id, hub, settings, *store);
  lane.set_watch(&watch.step_started_ms);
  bool was_online = false;
  Millis wait(0);
  while (!hub.stopping()) {
    if (spec.needs_online) {
      if (!hub.online()) {
        was_online = false;
        hub.wait_online(spec.id, Millis(1000));
        continue;
      }
      if (!was_online) {
        // The network just came back (or the daemon just started): wait a
        // random moment so a fleet does not arrive at the central at once.
        was_online = true;
        wait = return_delay(settings, lane.rng());
      }
    }
    if (wait.count() > 0) {
      if (!hub.wait(spec.id, wait)) break;
      wait = Millis(0);
      if (spec.needs_online && !hub.online()) continue;
    }
    watch.step_started_ms = LaneWatch::now_ms();
    try {
      wait = spec.step(lane);
    } catch (const std::exception& e) {
      // A bug in one lane must not take the others down.
      log::error("sync", "lane failed", {{"lane", lane_name(spec.id)}, {"error", e.what()}});
      wait = Millis(5000);
    }
    watch.step_started_ms = 0;
  }
}

int bind_wake_socket(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) {
    log::warn("sync", "data directory path too long for the wake socket; relying on rescans", {{"path", path}});
    return -1;
  }
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  ::unlink(path.c_str());  // a leftover of a killed daemon (we hold the lock)
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    log::warn("sync", "cannot bind the wake socket; relying on rescans", {{"path", path}, {"error", std::strerror(errno)}});
    ::close(fd);
    return -1;
  }
  return fd;
}

void wake_thread(int fd, Hub& hub) {
  while (!hub.stopping()) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 300) <= 0) continue;
    char buf[64];
    bool any = false;
    while (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) any = true;
    if (any) {
      hub.kick(LaneId::upload);
      hub.kick(LaneId::feedback);
    }
  }
}

}  // namespace

Status run_daemon(const SyncSettings& settings, const store::StoreOptions& so) {
  http_global_init();
  BIANMIN_TRY(fs::make_dirs(so.data_dir, 0700));
  const std::string lock_path = so.data_dir + "/syncd.lock";
  const int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) return fs::errno_error("open", lock_path);
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd);
    return make_error("busy", "another bianmin syncd is running on " + so.data_dir);
  }
  // Signals are taken by this thread only (sigtimedwait below).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Hub hub;
  const std::string sock_path = outbox::sync_wake_socket_path(so.data_dir);
  const int sock = bind_wake_socket(sock_path);
  std::vector<std::thread> threads;
  std::vector<LaneWatch> watches(std::size(kLanes));
  for (std::size_t i = 0; i < std::size(kLanes); ++i)
    threads.emplace_back(lane_thread, std::cref(kLanes[i]), std::ref(hub), std::cref(settings), std::cref(so),
                         std::ref(watches[i]));
  if (sock >= 0) threads.emplace_back(wake_thread, sock, std::ref(hub));
  log::info("sync", "syncd started", {{"data_dir", so.data_dir}, {"lanes", std::size(kLanes)}});
  sd_notify(0, "READY=1\nSTATUS=delivering");

  bool reported_stuck = false;
  bool announced_online = false;
  for (;;) {
    timespec ts{0, 500 * 1000 * 1000};
    const int sig = ::sigtimedwait(&signals, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) {
      log::info("sync", "stopping", {{"signal", sig}});
      sd_notify(0, "STOPPING=1");
      break;
    }
    // The health check of a new system (update/health_check.h) waits for
    // this: a syncd that reached the central.
    if (!announced_online && hub.online()) {
      announced_online = true;
      sd_notify(0, "STATUS=delivering; central reached");
    }
    std::size_t stuck = 0;
    while (stuck < watches.size() && !watches[stuck].stuck()) ++stuck;
    if (stuck == watches.size()) {
      sd_notify(0, "WATCHDOG=1");
    } else if (!reported_stuck) {
      reported_stuck = true;
      log::error("sync", "lane stuck; no longer feeding the watchdog", {{"lane", lane_name(kLanes[stuck].id)}});
    }
  }
  hub.stop();
  for (auto& t : threads) t.join();
  if (sock >= 0) {
    ::close(sock);
    ::unlink(sock_path.c_str());
  }
  ::close(lock_fd);
  log::info("sync", "syncd stopped");
  return {};
}

}  // namespace bianmin::sync
