#include "support/testing.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bianmin::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/bianmin-test-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary);
  f << content;
  if (!f) throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

namespace {

std::string drain(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

}  // namespace

CommandResult run_bianmin(const std::vector<std::string>& args) { return run_bianmin(args, {}); }

CommandResult run_program(const std::vector<std::string>& argv_in, const std::string& stdin_text) {
  TempDir io;
  const std::string out_path = io.file("out"), err_path = io.file("err"), in_path = io.file("in");
  write_file(in_path, stdin_text);
  pid_t pid = ::fork();
  if (pid == 0) {
    int i = ::open(in_path.c_str(), O_RDONLY);
    ::dup2(i, 0);
    int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<std::string> copy = argv_in;
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  int fo = ::open(out_path.c_str(), O_RDONLY), fe = ::open(err_path.c_str(), O_RDONLY);
  r.out = drain(fo);
  r.err = drain(fe);
  ::close(fo);
  ::close(fe);
  return r;
}

CommandResult run_bianmin(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::vector<std::string> argv{BIANMIN_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, stdin_text);
}

std::string source_path(const std::string& relative) { return std::string(BIANMIN_SOURCE_DIR) + "/" + relative; }
std::string sample_catalog_path() { return source_path("assets/catalog/ganzhou-620702.json"); }

}  // namespace bianmin::testing
