// The reference central driven in-process through the terminal's own HTTPS
// client and enrolment: start/stop, enrolled clients and request helpers
// shared by the central's test files.
#pragma once

#include <gtest/gtest.h>

#include <thread>

#include "central/central.h"
#include "client/enrolment.h"
#include "client/http_client.h"
#include "firmware/store_fixture.h"

namespace bianmin::sync {

using json = nlohmann::json;
using testing::TempDir;

class CentralSpec : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void TearDown() override { shut(); }

  void start(central::CentralOptions o) {
    o.data_dir = dir_.file("central");
    auto c = central::Central::open(o);
    ASSERT_TRUE(c.ok()) << c.error().message;
    central_ = std::move(c).value();
    ASSERT_TRUE(central_->publish_catalog(testing::read_file(testing::fixture("mini-catalog.json"))).ok());
    auto port = central_->bind("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    url_ = "https://127.0.0.1:" + std::to_string(*port);
    server_ = std::thread([this] { central_->serve(); });
    // Let the listener come up.
    for (int i = 0; i < 100; ++i) {
      HttpClient probe(url_, TlsTrust{central_->ca_pem(), "", "", ""}, {});
      if (probe.send({"GET", "/api/v1/health", {}, {}}).ok()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  void shut() {
    if (!central_) return;
    central_->stop();
    server_.join();
    central_.reset();
  }

  // Enrols a terminal (its store in `dir`) and returns a client for it.
  std::unique_ptr<HttpClient> enrolled(const std::string& name, const std::string& terminal_id = "620702-001-K03") {
    stores_.push_back(std::make_unique<TempDir>());
    store_ = testing::open_store(*stores_.back());
    auto code = central_->add_enrollment_code(terminal_id, "620702", "测试大厅", "", 1);
    EnrolRequest req{url_, *code, "", central_->ca_pem(), name, "m", "0.1.0", {}};
    auto e = enrol(*store_, req);
    EXPECT_TRUE(e.ok()) << e.error().message;
    enrolment_ = *e;
    return std::make_unique<HttpClient>(url_, trust_of(*e), HttpTimeouts{});
  }

  static HttpResponse post(HttpClient& c, const std::string& path, const std::string& body, const std::string& key = "") {
    HttpRequest r{"POST", path, {{"Content-Type", "application/json"}}, body};
    if (!key.empty()) r.headers.push_back({"Idempotency-Key", key});
    auto resp = c.send(r);
    EXPECT_TRUE(resp.ok()) << resp.error().message;
    return resp.ok() ? *resp : HttpResponse{};
  }
  static HttpResponse patch(HttpClient& c, const std::string& sha, int64_t offset, int64_t length, std::string_view bytes) {
    auto resp = c.send({"PATCH", "/api/v1/blobs/" + sha,
                        {{"Upload-Offset", std::to_string(offset)}, {"Upload-Length", std::to_string(length)},
                         {"Content-Type", "application/offset+octet-stream"}},
                        bytes});
    EXPECT_TRUE(resp.ok());
    return resp.ok() ? *resp : HttpResponse{};
  }

  static json application(const std::string& client_id, const std::string& item, const std::vector<std::string>& blobs,
                          int64_t blob_bytes) {
    json b = json::array();
    for (const auto& sha : blobs) b.push_back({{"sha256", sha}, {"mime", "image/jpeg"}, {"bytes", blob_bytes}, {"pages", 1}});
    return {{"client_id", client_id}, {"receipt_no", "K03-20261122-" + client_id.substr(0, 4)}, {"item_code", item},
            {"channel", "kiosk"}, {"submitted_at", "2026-11-22T09:31:05+08:00"},
            {"applicant", {{"name", "张三丰"}, {"id_type", "resident"}, {"id_number", "620702199003071232"}}},
            {"form", {{"phone", "0936-8212345"}}},
            {"materials", json::array({{{"material_id", "m1"}, {"blobs", b}}})}};
  }

  TempDir dir_;
  std::unique_ptr<central::Central> central_;
  std::thread server_;
  std::string url_;
  int port_ = 0;
  std::vector<std::unique_ptr<TempDir>> stores_;
  std::unique_ptr<store::Store> store_;
  Enrolment enrolment_;
};

}  // namespace bianmin::sync
