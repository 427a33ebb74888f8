// A simulator on a real pty, with the serial transport and a SAM session
// opened on it, for the idcard tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "idcard/card_json.h"
#include "idcard/sam_reader.h"
#include "idcard/serial_transport.h"
#include "idcard/sim_pty.h"
#include "support/testing.h"

namespace bianmin::drivers::idcard::test {

inline std::string sample(const std::string& name) { return testing::source_path("assets/sim/idcard-" + name + ".json"); }

// Every key of a sample card description equals what the card decodes to.
inline void expect_matches_description(const domain::IdentityCard& card, const std::string& path) {
  const auto want = nlohmann::json::parse(testing::read_file(path));
  const auto got = card_to_json(card);
  for (auto& [key, value] : want.items()) {
    if (key == "comment" || key == "layout") continue;
    if (key == "appended_address" && card.appended_address.empty()) continue;  // text block only
    EXPECT_EQ(got[key], value) << path << ": " << key;
  }
  EXPECT_TRUE(got["id_number_valid"].get<bool>()) << path;
  EXPECT_EQ(got["photo_bytes"], card.photo.size()) << path;
}

// Short deadlines: the simulator answers in microseconds, and a test that
// waits for a timeout should not wait long.
inline SamReaderOptions fast_options() {
  SamReaderOptions o;
  o.timeouts.find = o.timeouts.select = o.timeouts.status = o.timeouts.sam_id = o.timeouts.reset = Millis(250);
  o.timeouts.read = Millis(1500);
  o.timeouts.appended = Millis(250);
  return o;
}

class SimFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SimPty::open();
    ASSERT_TRUE(s) << s.error().message;
    sim = std::move(s).value();
    sim->start();
    transport = std::make_unique<SerialTransport>(sim->path(), 115200);
    auto st = transport->open();
    ASSERT_TRUE(st) << st.error().message;
    reader = std::make_unique<SamReader>(*transport, fast_options());
  }
  void TearDown() override {
    reader.reset();
    transport.reset();
    sim.reset();
  }
  void ctl(const std::string& line) {
    auto r = sim->control(line);
    ASSERT_TRUE(r) << line << ": " << r.error().message;
  }
  // find → select → read, as the CLI does.
  Result<domain::IdentityCard> read_once() {
    auto f = reader->find_card();
    if (!f) return f.take_error();
    if (!*f) return make_error("no_card", "no card");
    return reader->read_card();
  }
  static double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  }

  std::unique_ptr<SimPty> sim;
  std::unique_ptr<SerialTransport> transport;
  std::unique_ptr<SamReader> reader;
};

}  // namespace bianmin::drivers::idcard::test
