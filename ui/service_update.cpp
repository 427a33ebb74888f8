// Service mode's system update (ServiceScreen::system_update): what the
// slots run, the bundles on the technician's USB stick, and installing one
// with `bianmin update install` as at a console, from a copy on the data
// partition (update/stick_bundles.h says why a copy). The terminal restarts
// into the new slot once service mode is left: the open service session
// holds the update gate (update/quiet_gate.h) like a resident's does.
#include <unistd.h>

#include <sstream>

#include "service_shell.h"
#include "shell.h"
#include "update/stick_bundles.h"

namespace bianmin::ui {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::string last_line_of(const std::string& text) {
  auto lines = lines_of(text);
  return lines.empty() ? std::string() : lines.back();
}

}  // namespace

void ServiceShell::find_bundles() {
  session::BundlesFound found;
  Ran status = run({"update", "status"}, 30);
  found.system = status.exit_code == 0 ? lines_of(status.out)
                                       : std::vector<std::string>{"no RAUC here: " + last_line_of(status.err)};
  found.stick = opt_.export_dir.empty() ? update::mounted_stick(R_OK) : opt_.export_dir;
  if (!found.stick.empty())
    for (auto& b : update::find_bundles(found.stick)) found.bundles.push_back({b.path, b.name, b.bytes});
  answer(std::move(found));
}

void ServiceShell::install_update(const std::string& path, const std::string& technician) {
  const std::string data_dir = opt_.store.data_dir;
  // The store keeps its minimum free, and a margin, whatever the bundle.
  auto staged = update::stage_bundle(path, data_dir, (opt_.store.min_free_mb + 64) << 20);
  if (!staged) {
    answer(session::ServiceActionDone{false, staged.error().message});
    return;
  }
  Ran r = run({"update", "install", *staged}, 3600);
  update::unstage_bundles(data_dir);
  const bool ok = r.exit_code == 0;
  shell_.carry_out(session::Effect{session::DoAudit{ok ? "update_installed" : "update_failed",
                                                    technician + ": " + path.substr(path.rfind('/') + 1)}});
  answer(session::ServiceActionDone{ok, ok ? last_line_of(r.out) : last_line_of(r.err)});
}

}  // namespace bianmin::ui
