#include "image/qemu_vm.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/testing.h"

namespace bianmin::testing::image {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

int connect_unix(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return -1;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// One JSON document per line; false when `deadline` passes first.
bool read_line(int fd, std::string& buffer, std::string& line, Clock::time_point deadline) {
  for (;;) {
    const auto nl = buffer.find('\n');
    if (nl != std::string::npos) {
      line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char chunk[65536];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string base64_decode(const std::string& text) {
  if (text.empty()) return {};
  std::string out(text.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return {};
  std::size_t size = static_cast<std::size_t>(n);
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) --size;
  out.resize(size);
  return out;
}

}  // namespace

QemuVm::QemuVm(VmOptions options) : opt_(std::move(options)) {}

QemuVm::~QemuVm() { kill(); }

bool QemuVm::start() {
  const std::string overlay = opt_.work_dir + "/disk.qcow2";
  // Started again (after kill(), a power cut), the machine keeps its disk.
  if (::access(overlay.c_str(), F_OK) != 0) {
    auto made = run_program({"qemu-img", "create", "-q", "-f", "qcow2", "-b", opt_.image, "-F", "raw", overlay,
                             opt_.disk_size});
    if (made.exit_code != 0) {
      error_ = "qemu-img: " + made.err;
      return false;
    }
  }
  agent_buffer_.clear();
  const std::string qmp_path = opt_.work_dir + "/qmp.sock", agent_path = opt_.work_dir + "/agent.sock";
  std::vector<std::string> args = {
      "qemu-system-x86_64", "-machine", "q35", "-accel", "tcg,thread=multi", "-cpu", "max",
      "-smp", std::to_string(opt_.cpus), "-m", std::to_string(opt_.memory_mib),
      "-bios", "/usr/share/ovmf/OVMF.fd",
      "-drive", "file=" + overlay + ",format=qcow2,if=virtio",
      "-vga", "std", "-display", "none",
      "-serial", "file:" + opt_.work_dir + "/serial.log",
      "-qmp", "unix:" + qmp_path + ",server=on,wait=off",
      "-chardev", "socket,id=agent,path=" + agent_path + ",server=on,wait=off",
      "-device", "virtio-serial-pci", "-device", "virtserialport,chardev=agent,name=org.qemu.guest_agent.0",
      "-nic", "user,model=virtio-net-pci",
      "-device", "virtio-rng-pci"};
  args.insert(args.end(), opt_.extra_args.begin(), opt_.extra_args.end());
  const std::string log = opt_.work_dir + "/qemu.log";
  started_ = Clock::now();
  pid_ = ::fork();
  if (pid_ == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  if (pid_ < 0) {
    error_ = std::string("fork: ") + std::strerror(errno);
    return false;
  }
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while ((qmp_fd_ = connect_unix(qmp_path)) < 0 || (agent_fd_ = connect_unix(agent_path)) < 0) {
    if (qmp_fd_ >= 0) {
      ::close(qmp_fd_);
      qmp_fd_ = -1;
    }
    if (Clock::now() > deadline || ::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      error_ = "qemu did not start: " + read_file(log);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string greeting, buffer;
  if (!read_line(qmp_fd_, buffer, greeting, Clock::now() + std::chrono::seconds(10))) {
    error_ = "no QMP greeting";
    return false;
  }
  if (!qmp({{"execute", "qmp_capabilities"}}).contains("return")) {
    error_ = "QMP refused qmp_capabilities";
    return false;
  }
  return true;
}

json QemuVm::qmp(const json& command) {
  if (qmp_fd_ < 0 || !send_all(qmp_fd_, command.dump() + "\n")) return json::object();
  std::string buffer, line;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (read_line(qmp_fd_, buffer, line, deadline)) {
    auto reply = json::parse(line, nullptr, false);
    if (reply.is_object() && (reply.contains("return") || reply.contains("error"))) return reply;
  }
  return json::object();
}

json QemuVm::agent(const json& command, std::chrono::seconds timeout) {
  if (agent_fd_ < 0 || !send_all(agent_fd_, command.dump() + "\n")) return json::object();
  std::string line;
  const auto deadline = Clock::now() + timeout;
  while (read_line(agent_fd_, agent_buffer_, line, deadline)) {
    auto reply = json::parse(line, nullptr, false);
    if (reply.is_object() && (reply.contains("return") || reply.contains("error"))) return reply;
  }
  return json::object();
}

// guest-sync with a fresh id: answers left over from an earlier, timed-out
// command are skipped until the one with this id arrives.
bool QemuVm::agent_sync(std::chrono::seconds timeout) {
  static int next_id = 1000;
  const int id = ++next_id;
  if (agent_fd_ < 0 || !send_all(agent_fd_, json{{"execute", "guest-sync"}, {"arguments", {{"id", id}}}}.dump() + "\n"))
    return false;
  std::string line;
  const auto deadline = Clock::now() + timeout;
  while (read_line(agent_fd_, agent_buffer_, line, deadline)) {
    auto reply = json::parse(line, nullptr, false);
    if (reply.is_object() && reply.value("return", json()) == id) return true;
  }
  return false;
}

bool QemuVm::wait_for_agent(std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (pid_ < 0 || ::waitpid(pid_, &exit_status_, WNOHANG) == pid_) {
      pid_ = -1;
      error_ = "qemu exited";
      return false;
    }
    if (agent_sync(std::chrono::seconds(5))) return true;
  }
  error_ = "the guest agent did not answer within " + std::to_string(timeout.count()) + " s";
  return false;
}

GuestResult QemuVm::exec(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  GuestResult r;
  if (argv.empty() || !agent_sync(std::chrono::seconds(30))) return r;
  json args = json::array();
  for (std::size_t i = 1; i < argv.size(); ++i) args.push_back(argv[i]);
  auto started = agent({{"execute", "guest-exec"},
                        {"arguments", {{"path", argv[0]}, {"arg", args}, {"capture-output", true}}}},
                       std::chrono::seconds(30));
  if (!started.contains("return")) {
    r.err = started.dump();
    return r;
  }
  const int pid = started["return"].value("pid", -1);
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    auto status = agent({{"execute", "guest-exec-status"}, {"arguments", {{"pid", pid}}}}, std::chrono::seconds(30));
    const json& s = status.contains("return") ? status["return"] : json::object();
    if (s.value("exited", false)) {
      r.exit_code = s.contains("exitcode") ? s["exitcode"].get<int>() : 128 + s.value("signal", 0);
      r.out = base64_decode(s.value("out-data", ""));
      r.err = base64_decode(s.value("err-data", ""));
      return r;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return r;
}

bool QemuVm::screendump(const std::string& png_path) {
  auto r = qmp({{"execute", "screendump"}, {"arguments", {{"filename", png_path}, {"format", "png"}}}});
  return r.contains("return");
}

bool QemuVm::send_keys(const json& keys) {
  return qmp({{"execute", "send-key"}, {"arguments", {{"keys", keys}}}}).contains("return");
}

void QemuVm::kill() {
  if (qmp_fd_ >= 0) ::close(qmp_fd_);
  if (agent_fd_ >= 0) ::close(agent_fd_);
  qmp_fd_ = agent_fd_ = -1;
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &exit_status_, 0);
    pid_ = -1;
  }
}

bool QemuVm::reset() { return qmp({{"execute", "system_reset"}}).contains("return"); }

namespace {

constexpr const char* kRestarting = "reboot: Restarting system";

std::chrono::seconds unchanged_for(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::chrono::seconds(0);
  return std::chrono::seconds(std::max<long>(0, ::time(nullptr) - st.st_mtime));
}

}  // namespace

bool QemuVm::hung_in_reset(std::chrono::seconds quiet) const {
  const std::string log = serial_log();
  const auto at = log.rfind(kRestarting);
  if (at == std::string::npos) return false;
  const auto after = log.find_first_not_of(" \r\n", at + std::strlen(kRestarting));
  return after == std::string::npos && unchanged_for(opt_.work_dir + "/serial.log") >= quiet;
}

std::string QemuVm::recover_from_hung_reset() {
  const auto silent_before = serial_log().size();
  if (pid_ > 0 && reset()) {
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline) {
      if (serial_log().size() > silent_before) return "reset the machine (QMP system_reset); the firmware started";
      // A machine stopped in its reset runs on once the reset was done
      // (before that, qemu refuses "cont").
      const json status = qmp({{"execute", "query-status"}});
      if (status.contains("return") && !status["return"].value("running", true)) qmp({{"execute", "cont"}});
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  kill();
  return start() ? "a reset did not start the firmware: power-cycled the machine"
                 : "the machine did not start again: " + error_;
}

std::string QemuVm::state() {
  std::ostringstream out;
  if (pid_ > 0 && ::waitpid(pid_, &exit_status_, WNOHANG) == pid_) pid_ = -1;
  if (pid_ > 0) {
    auto status = qmp({{"execute", "query-status"}});
    out << "qemu running (pid " << pid_ << "), QMP query-status: "
        << (status.contains("return") ? status["return"].dump() : std::string("no answer"));
  } else if (WIFSIGNALED(exit_status_)) {
    out << "qemu killed by signal " << WTERMSIG(exit_status_);
  } else {
    out << "qemu exited with status " << WEXITSTATUS(exit_status_);
  }
  out << "; the serial console has been silent for "
      << unchanged_for(opt_.work_dir + "/serial.log").count() << " s\n";
  std::string log = read_file(opt_.work_dir + "/qemu.log");
  if (log.size() > 4000) log = "…" + log.substr(log.size() - 4000);
  out << "qemu's log: " << (log.empty() ? "(empty)" : log);
  return out.str();
}

std::string QemuVm::serial_log() const { return read_file(opt_.work_dir + "/serial.log"); }

double QemuVm::seconds_since_start() const {
  return std::chrono::duration<double>(Clock::now() - started_).count();
}

}  // namespace bianmin::testing::image
