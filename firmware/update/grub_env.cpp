#include "update/grub_env.h"

#include "base/child_process.h"
#include "base/fs.h"

namespace bianmin::update {

namespace {
constexpr std::string_view kHeader = "# GRUB Environment Block\n";
const std::string kEmpty;
}  // namespace

Result<GrubEnv> GrubEnv::parse(std::string_view block) {
  if (block.substr(0, kHeader.size()) != kHeader)
    return make_error("grubenv_invalid", "not a GRUB environment block (no header)");
  GrubEnv env;
  std::size_t pos = kHeader.size();
  while (pos < block.size()) {
    // A comment line (grub-editenv writes a warning), or the '#' padding
    // that runs to the end of the block without a newline.
    if (block[pos] == '#') {
      const auto nl = block.find('\n', pos);
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
      continue;
    }
    std::string line;
    bool ended = false;
    for (; pos < block.size(); ++pos) {
      const char c = block[pos];
      if (c == '\\' && pos + 1 < block.size()) {
        line += block[++pos];
        continue;
      }
      if (c == '\n') {
        ended = true;
        ++pos;
        break;
      }
      line += c;
    }
    if (!ended) return make_error("grubenv_invalid", "GRUB environment block: a line without its end");
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0)
      return make_error("grubenv_invalid", "GRUB environment block: a line without name=value");
    env.values_[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

Result<GrubEnv> GrubEnv::read(const std::string& path) {
  auto bytes = fs::read_file(path, 64 * 1024);
  if (!bytes) return bytes.take_error();
  return parse(*bytes);
}

const std::string& GrubEnv::get(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

Status edit_grub_env(const std::string& path, const std::vector<std::pair<std::string, std::string>>& changes) {
  std::vector<std::string> set{"grub-editenv", path, "set"}, unset{"grub-editenv", path, "unset"};
  for (const auto& [name, value] : changes) {
    if (value.empty()) unset.push_back(name);
    else set.push_back(name + "=" + value);
  }
  for (const auto* argv : {&set, &unset}) {
    if (argv->size() == 3) continue;
    ChildOptions opts;
    opts.timeout = std::chrono::seconds(30);
    auto r = run_child(*argv, opts);
    if (!r) return r.take_error();
    if (r->exit_code != 0)
      return make_error("grubenv_write", "grub-editenv " + path + ": " + (r->err.empty() ? "failed" : r->err));
  }
  return {};
}

SlotBootState slot_boot_state(const GrubEnv& env, const std::string& bootname) {
  return {env.is(bootname + "_OK", "1"), env.is(bootname + "_TRY", "1"), env.is(bootname + "_HEALTHY", "1")};
}

std::string other_slot(const std::string& bootname) { return bootname == "A" ? "B" : "A"; }

}  // namespace bianmin::update
