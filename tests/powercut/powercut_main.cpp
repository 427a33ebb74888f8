// bianmin-powercut: the power-cut torture run (torture.h) from the command
// line. Needs root (a FUSE mount) and /dev/fuse.
//
//   bianmin-powercut --cuts 1000 --work /tmp/powercut [--seed N] [--max-delay-ms 1500] [--verbose]
//
// Prints the report as JSON; exit 0 when nothing acknowledged was lost,
// nothing was duplicated at the central and every restart checked out.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "powercut/torture.h"

int main(int argc, char** argv) {
  bianmin::testing::powercut::TortureOptions o;
  o.bianmin = BIANMIN_BINARY;
  o.central = BIANMIN_CENTRAL_BINARY;
  o.fixtures = BIANMIN_FIXTURES;
  o.work_dir = "/tmp/bianmin-powercut";
  CLI::App app{"Power-cut torture of the terminal's store: submit and deliver, cut, restart, check"};
  app.add_option("--cuts", o.cuts, "How many power cuts")->check(CLI::PositiveNumber);
  app.add_option("--work", o.work_dir, "Work directory (emptied first)");
  app.add_option("--seed", o.seed, "Random seed of the cut moments");
  app.add_option("--max-delay-ms", o.max_delay_ms, "A cut comes 0…this long after the terminal starts");
  app.add_option("--bianmin", o.bianmin, "The bianmin binary");
  app.add_option("--central", o.central, "The bianmin-central binary");
  app.add_flag("--verbose", o.verbose, "One line per cut on stderr");
  app.add_flag("--keep-live", o.keep_live, "Keep what the programs saw before the last cut (live-before-cut/)");
  CLI11_PARSE(app, argc, argv);
  const auto report = bianmin::testing::powercut::run_torture(o);
  std::printf("%s\n", report.to_json().dump(2).c_str());
  return report.ok() ? 0 : 1;
}
