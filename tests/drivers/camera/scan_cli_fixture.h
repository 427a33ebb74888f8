// Running `bianmin scan page` as a user would, for the camera's and the
// document scanner's CLI tests: a throw-away data directory, an empty
// configuration (so the machine's /etc/bianmin never leaks in), and a
// queued application to store pages into.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "support/testing.h"

namespace bianmin::drivers::testing {

class ScanCliTest : public ::testing::Test {
 protected:
  bianmin::testing::TempDir dir;
  bianmin::testing::CommandResult bm(std::vector<std::string> args) {
    bianmin::testing::write_file(dir.file("none.toml"), "");
    args.insert(args.begin(), "--data-dir=" + dir.file("data"));
    args.insert(args.begin(), "--config=" + dir.file("none.toml"));
    return bianmin::testing::run_bianmin(args);
  }
  std::string fixture(const std::string& n) { return bianmin::testing::source_path("tests/firmware/fixtures/" + n); }
  // Submits an application of the fixture catalogue with one page of
  // material m1 given at submission; its client_id, or "" (and a failure).
  std::string queued_application() {
    EXPECT_EQ(bm({"catalog", "import", fixture("mini-catalog.json")}).exit_code, 0);
    bianmin::testing::write_file(dir.file("m1.jpg"), "\xff\xd8\xff first page");
    auto sub = bm({"submit", "--item", "T-QR-0001", "--applicant", fixture("applicant.json"), "--form",
                   fixture("form.json"), "--material", "m1=" + dir.file("m1.jpg"), "--json"});
    EXPECT_EQ(sub.exit_code, 0) << sub.err;
    return sub.exit_code == 0 ? nlohmann::json::parse(sub.out)["client_id"].get<std::string>() : std::string();
  }
};

}  // namespace bianmin::drivers::testing
