// Helpers for tests: throw-away data directories and running the real
// `bianmin` binary as a user would.
#pragma once

#include <string>
#include <vector>

namespace bianmin::testing {

// A fresh directory under $TMPDIR, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs the built `bianmin` with `args` (no shell), capturing stdout/stderr.
CommandResult run_bianmin(const std::vector<std::string>& args);
// The same with `stdin_text` on its standard input.
CommandResult run_bianmin(const std::vector<std::string>& args, const std::string& stdin_text);

// Runs `argv` (argv[0] looked up in PATH, no shell) the same way: sox, …
CommandResult run_program(const std::vector<std::string>& argv, const std::string& stdin_text = "");

// Path of a file in the source tree ("assets/catalog/…").
std::string source_path(const std::string& relative);
// The sample catalogue shipped in assets/.
std::string sample_catalog_path();

}  // namespace bianmin::testing
