// The reference central in a child process of a benchmark, for fleets of
// simulated terminals: 10,000 terminals' connections plus the central's own
// ends would not fit in one process's file descriptors, and the central's
// CPU time is then its own. The parent talks to it over a pair of pipes, one
// line per command: enrolment codes, a mark from which arrivals count, the
// report (arrivals per 100 ms since the mark, 503s, requests) and stop.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "central/central.h"
#include "support/testing.h"

namespace bianmin::testing::sync {

class ForkedCentral {
 public:
  struct Report {
    std::vector<uint32_t> arrivals;  // per 100 ms since mark()
    int64_t rejected_busy = 0, requests = 0;
  };

  // `catalog_json` is published before serving. Exits the program when the
  // central cannot start (a benchmark has nothing to measure then).
  ForkedCentral(const bianmin::sync::central::CentralOptions& o, const std::string& catalog_json) {
    int down[2], up[2];
    if (::pipe(down) != 0 || ::pipe(up) != 0) std::exit(2);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(down[1]);
      ::close(up[0]);
      child(o, catalog_json, down[0], up[1]);
    }
    ::close(down[0]);
    ::close(up[1]);
    to_ = ::fdopen(down[1], "w");
    from_ = ::fdopen(up[0], "r");
    const std::string hello = line();
    if (hello.rfind("port ", 0) != 0) {
      std::fprintf(stderr, "the central did not start: %s\n", hello.c_str());
      std::exit(2);
    }
    port_ = std::atoi(hello.c_str() + 5);
    ca_pem_ = read_file(o.data_dir + "/bench-ca.pem");
  }
  ~ForkedCentral() {
    ask("stop");
    int status = 0;
    ::waitpid(pid_, &status, 0);
    std::fclose(to_);
    std::fclose(from_);
  }
  ForkedCentral(const ForkedCentral&) = delete;
  ForkedCentral& operator=(const ForkedCentral&) = delete;

  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  const std::string& ca_pem() const { return ca_pem_; }
  std::string enrollment_code(const std::string& terminal_id) { return ask("code " + terminal_id); }
  void mark() { ask("mark"); }
  Report report() {
    std::istringstream in(ask("report"));
    Report r;
    std::size_t n = 0;
    in >> r.rejected_busy >> r.requests >> n;
    r.arrivals.resize(n);
    for (auto& a : r.arrivals) in >> a;
    return r;
  }

 private:
  std::string line() {
    std::string out;
    for (int c; (c = std::fgetc(from_)) != EOF && c != '\n';) out += static_cast<char>(c);
    return out;
  }
  std::string ask(const std::string& command) {
    std::fprintf(to_, "%s\n", command.c_str());
    std::fflush(to_);
    return line();
  }

  [[noreturn]] static void child(const bianmin::sync::central::CentralOptions& o, const std::string& catalog_json,
                                 int in_fd, int out_fd) {
    FILE* in = ::fdopen(in_fd, "r");
    FILE* out = ::fdopen(out_fd, "w");
    auto c = bianmin::sync::central::Central::open(o);
    if (!c) {
      std::fprintf(out, "error %s\n", c.error().message.c_str());
      std::fflush(out);
      ::_exit(2);
    }
    auto& central = **c;
    (void)central.publish_catalog(catalog_json);
    const auto port = central.bind("127.0.0.1", 0);
    if (!port) {
      std::fprintf(out, "error %s\n", port.error().message.c_str());
      std::fflush(out);
      ::_exit(2);
    }
    write_file(o.data_dir + "/bench-ca.pem", central.ca_pem());
    std::thread server([&] { central.serve(); });
    std::fprintf(out, "port %d\n", *port);
    std::fflush(out);
    std::vector<uint32_t> before;
    int64_t rejected_before = 0, requests_before = 0;
    char buf[512];
    while (std::fgets(buf, sizeof buf, in)) {
      std::string cmd(buf);
      while (!cmd.empty() && cmd.back() == '\n') cmd.pop_back();
      if (cmd.rfind("code ", 0) == 0) {
        auto code = central.add_enrollment_code(cmd.substr(5), "620702", "bench hall", "", 1);
        std::fprintf(out, "%s\n", code ? code->c_str() : "");
      } else if (cmd == "mark") {
        before = central.arrivals();
        rejected_before = central.metrics().rejected_busy.load();
        requests_before = central.metrics().requests.load();
        std::fprintf(out, "ok\n");
      } else if (cmd == "report") {
        std::vector<uint32_t> a = central.arrivals();
        for (std::size_t i = 0; i < before.size() && i < a.size(); ++i) a[i] -= before[i];
        std::fprintf(out, "%lld %lld %zu", static_cast<long long>(central.metrics().rejected_busy.load() - rejected_before),
                     static_cast<long long>(central.metrics().requests.load() - requests_before), a.size());
        for (uint32_t n : a) std::fprintf(out, " %u", n);
        std::fprintf(out, "\n");
      } else if (cmd == "stop") {
        break;
      }
      std::fflush(out);
    }
    central.stop();
    server.join();
    std::fprintf(out, "stopped\n");
    std::fflush(out);
    ::_exit(0);
  }

  pid_t pid_ = -1;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
  int port_ = 0;
  std::string ca_pem_;
};

}  // namespace bianmin::testing::sync
