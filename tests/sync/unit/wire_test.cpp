// Parsers of both ends (central responses on the terminal, terminal
// requests on the central), headers, backoff and small pure helpers.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "central/central.h"
#include "central/requests.h"
#include "client/lane.h"
#include "client/progress.h"
#include "client/return_policy.h"
#include "client/settings.h"
#include "common/wire.h"
#include "store/store.h"
#include "firmware/store_fixture.h"
#include "support/testing.h"

namespace bianmin::sync {
namespace {

using namespace std::chrono_literals;

TEST(Wire, ErrorBodiesCarryCodeMissingBlobsAndExpectedSeq) {
  auto e = wire::parse_error(R"({"error":{"code":"blobs_missing","message":"m","missing":["a","b"],"x":1}})");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->code, "blobs_missing");
  EXPECT_EQ(e->missing, (std::vector<std::string>{"a", "b"}));
  auto c = wire::parse_error(R"({"error":{"code":"chain_broken","expected_seq":42}})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->expected_seq, 42);
  for (const char* bad : {"", "[]", "{}", R"({"error":"x"})", R"({"error":{"code":7}})", "{\"error\":{\"code\":\"\xff\"}}"})
    EXPECT_FALSE(wire::parse_error(bad).ok()) << bad;
}

TEST(Wire, AcceptanceAndStatusesIgnoreUnknownFieldsAndSkipBadEntries) {
  auto a = wire::parse_acceptance(
      R"({"client_id":"c","case_no":"N","status":"received","received_at":"t","deadline":"2026-12-01","future":[1]})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->case_no, "N");
  EXPECT_FALSE(wire::parse_acceptance(R"({"client_id":"c","status":"received"})").ok());
  auto list = wire::parse_status_list(
      R"({"statuses":[{"client_id":"a","status":"approved","history":[{"status":"received","at":"t"}]},
                      {"status":"no id"}, 5]})");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].history.size(), 1u);
  EXPECT_TRUE(wire::is_known_status("supplement_required"));
  EXPECT_FALSE(wire::is_known_status("lost"));
}

TEST(Wire, HealthEnrolHeartbeatAndAuditReplies) {
  EXPECT_TRUE(wire::parse_health(R"({"status":"ok","server_time":"2026-11-22T09:30:00+08:00","api":1})").ok());
  EXPECT_FALSE(wire::parse_health(R"({"status":"down","server_time":"x"})").ok());
  // The reference central's advised return window: optional, bounded.
  EXPECT_EQ(wire::parse_health(R"({"status":"ok","server_time":"x","api":1})")->return_window_s, 0);
  EXPECT_EQ(wire::parse_health(R"({"status":"ok","server_time":"x","return_window_s":14})")->return_window_s, 14);
  EXPECT_EQ(wire::parse_health(R"({"status":"ok","server_time":"x","return_window_s":-5})")->return_window_s, 0);
  EXPECT_EQ(wire::parse_health(R"({"status":"ok","server_time":"x","return_window_s":1000000000})")->return_window_s, 3600);
  auto e = wire::parse_enrol_reply(R"({"terminal_id":"620702-001-K03","certificate_pem":"C","ca_chain_pem":"A",
      "config":{"receipt_query_url":"https://q/{receipt_no}?t={token}","other":1}})");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->receipt_query_url, "https://q/{receipt_no}?t={token}");
  EXPECT_FALSE(wire::parse_enrol_reply(R"({"terminal_id":"","certificate_pem":"C","ca_chain_pem":"A"})").ok());
  auto h = wire::parse_heartbeat_reply(R"({"server_time":"t","catalog_version":"v2","commands":[{"type":"refresh_catalog"},{"type":"future"},3]})");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->commands, (std::vector<std::string>{"refresh_catalog", "future"}));
  EXPECT_EQ(*wire::parse_audit_reply(R"({"accepted_through":17})"), 17);
  EXPECT_FALSE(wire::parse_audit_reply(R"({"accepted_through":-1})").ok());
}

TEST(Wire, UploadOffsetsAreDigitsOnly) {
  EXPECT_EQ(wire::parse_length_header("0"), 0);
  EXPECT_EQ(wire::parse_length_header(" 183422 "), 183422);
  for (const char* bad : {"", "-1", "+5", "1e3", "0x10", "12 34", "99999999999999999"})
    EXPECT_FALSE(wire::parse_length_header(bad)) << bad;
}

TEST(Wire, RetryAfterTakesSecondsOrADateAndIsClamped) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(784111777));  // 1994-11-06 08:49:37 GMT
  EXPECT_EQ(wire::parse_retry_after("120", now), 120s);
  EXPECT_EQ(wire::parse_retry_after("99999999999", now), 86400s);
  EXPECT_EQ(wire::parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now), 60s);
  EXPECT_EQ(wire::parse_retry_after("Sun, 06 Nov 1994 08:40:37 GMT", now), 0s);
  EXPECT_FALSE(wire::parse_retry_after("soon", now));
  EXPECT_FALSE(wire::parse_retry_after("-5", now));
  // Outside what the clock can count (found by fuzz_sync_headers: it overflowed).
  EXPECT_FALSE(wire::parse_retry_after("Sun, 06 Nov 1570 08:49:37 GMT", now));
  EXPECT_FALSE(wire::parse_retry_after("Sun, 06 Nov 9999 08:49:37 GMT", now));
}

TEST(Wire, EtagsAndIfNoneMatch) {
  EXPECT_EQ(wire::parse_etag("\"2026-11-20.3\""), "2026-11-20.3");
  EXPECT_EQ(wire::parse_etag("W/\"v\""), "v");
  EXPECT_FALSE(wire::parse_etag("v"));
  EXPECT_FALSE(wire::parse_etag("\"a\"b\""));
  EXPECT_TRUE(central::if_none_match_matches("\"v1\", W/\"v2\"", "v2"));
  EXPECT_TRUE(central::if_none_match_matches("*", "anything"));
  EXPECT_FALSE(central::if_none_match_matches("\"v1\"", "v2"));
  EXPECT_FALSE(central::if_none_match_matches("v2", "v2"));
}

TEST(Backoff, FullJitterStaysUnderTheCapAndSpreadsOut) {
  auto rng = seeded_rng();
  const Millis base(100), cap(5000);
  std::set<int64_t> distinct;
  for (int failures = 0; failures < 60; ++failures) {
    const Millis window = std::min(cap, Millis(base.count() << std::min(failures, 20)));
    for (int i = 0; i < 50; ++i) {
      const Millis d = full_jitter(failures, base, cap, rng);
      ASSERT_GE(d.count(), 0);
      ASSERT_LE(d.count(), window.count()) << failures;
      distinct.insert(d.count());
    }
  }
  EXPECT_GT(distinct.size(), 500u);  // spread over the window, not a fixed schedule
}

TEST(ReturnPolicy, OfflineProbesAreRandomAroundTheirIntervalAndLanesFollowSoon) {
  auto rng = seeded_rng();
  SyncSettings s;
  s.probe_offline = Millis(2000);
  s.online_jitter = Millis(250);
  Millis sum(0), least(1 << 30), most(0);
  for (int i = 0; i < 400; ++i) {
    const Millis d = offline_probe_delay(s, rng);
    ASSERT_GE(d, Millis(1000));
    ASSERT_LE(d, Millis(3000));
    sum += d;
    least = std::min(least, d);
    most = std::max(most, d);
    const Millis back = return_delay(s, rng);
    ASSERT_GE(back, Millis(0));
    ASSERT_LE(back, Millis(250));
  }
  // The offline fleet's probing load stays one probe per interval on average,
  // and the moments spread over the window (terminals in step drift apart).
  EXPECT_NEAR(static_cast<double>(sum.count()) / 400, 2000, 150);
  EXPECT_GT((most - least).count(), 1500);
}

TEST(ReturnPolicy, AnAdvisedWindowSpreadsTheOfflineFleetsProbesOverIt) {
  auto rng = seeded_rng();
  SyncSettings s;  // probe_offline 2 s
  const Millis w(12000);
  // A window no wider than the probe interval changes nothing.
  for (int i = 0; i < 100; ++i) {
    const Millis d = offline_probe_delay(s, rng, Millis(1500), true);
    ASSERT_GE(d, Millis(1000));
    ASSERT_LE(d, Millis(3000));
  }
  // Just lost: a phase of its own anywhere within the window; then every
  // W ± P/2, so the probes' moments stay spread over W.
  Millis least(1 << 30), most(0), sum(0);
  for (int i = 0; i < 400; ++i) {
    const Millis first = offline_probe_delay(s, rng, w, true);
    ASSERT_GE(first, Millis(1000));
    ASSERT_LE(first, Millis(13000));
    least = std::min(least, first);
    most = std::max(most, first);
    const Millis next = offline_probe_delay(s, rng, w, false);
    ASSERT_GE(next, Millis(11000));
    ASSERT_LE(next, Millis(13000));
    sum += next;
  }
  EXPECT_GT((most - least).count(), 10000);
  EXPECT_NEAR(static_cast<double>(sum.count()) / 400, 12000, 200);
}

TEST(ReturnPolicy, TheAdvisedWindowIsKeptInTheStore) {
  testing::TempDir dir;
  auto st = testing::open_store(dir);
  ASSERT_TRUE(st);
  EXPECT_EQ(stored_return_window(*st), Millis(0));
  EXPECT_TRUE(remember_return_window(*st, 14).ok());
  EXPECT_EQ(stored_return_window(*st), Millis(14000));
  EXPECT_TRUE(remember_return_window(*st, 14).ok());  // the same window again
  EXPECT_TRUE(remember_return_window(*st, 0).ok());  // a central that no longer advises one
  EXPECT_EQ(stored_return_window(*st), Millis(0));
}

TEST(Judge, WhatAnAnswerMeansForTheRecordAndTheLane) {
  auto verdict = [](long status, const std::string& body = "") {
    HttpResponse r;
    r.status = status;
    r.body = body;
    return judge(r);
  };
  EXPECT_EQ(verdict(422, wire::error_body("unknown_item", "gone")).verdict, Verdict::quarantine);
  EXPECT_EQ(verdict(422, wire::error_body("unknown_item", "gone")).reason, "unknown_item: gone");
  EXPECT_EQ(verdict(400).verdict, Verdict::quarantine);
  EXPECT_EQ(verdict(413).verdict, Verdict::quarantine);
  EXPECT_EQ(verdict(409).verdict, Verdict::retry_record);
  EXPECT_EQ(verdict(408).verdict, Verdict::retry_record);
  EXPECT_EQ(verdict(500).verdict, Verdict::retry_record);
  EXPECT_EQ(verdict(429).verdict, Verdict::pause_lane);
  EXPECT_EQ(verdict(503).verdict, Verdict::pause_lane);
  EXPECT_EQ(verdict(401).verdict, Verdict::lane_failure);  // the terminal, not the record
  EXPECT_EQ(verdict(403).verdict, Verdict::lane_failure);
}

TEST(Judge, RetryAfterIsHonouredWithAJitterThatWidensWithRefusalsInARow) {
  testing::TempDir dir;
  auto s = testing::open_store(dir);
  ASSERT_TRUE(s);
  Hub hub;
  SyncSettings settings;  // backoff_base 1 s: Retry-After's own granularity
  Lane lane(LaneId::upload, hub, settings, *s);
  HttpResponse r;
  r.status = 503;
  r.headers["retry-after"] = "8";
  // The first refusal: the second the central asked for, spread within it.
  const Millis first = lane.pause_for(r);
  EXPECT_GE(first, Millis(8000));  // never sooner than the central asked
  EXPECT_LE(first, Millis(9000));
  // Refused again and again: the window doubles (2 s, 4 s) up to the
  // Retry-After itself (8 s) and stays there.
  for (const int64_t window : {2000, 4000, 8000, 8000}) {
    const Millis w = lane.pause_for(r);
    EXPECT_GE(w, Millis(8000));
    EXPECT_LE(w, Millis(8000 + window));
  }
  lane.reached();  // an answer: the next refusal is a first one again
  const Millis again = lane.pause_for(r);
  EXPECT_GE(again, Millis(8000));
  EXPECT_LE(again, Millis(9000));
  r.headers.clear();  // no Retry-After: exponential backoff under the cap
  EXPECT_LE(lane.pause_for(r), settings.backoff_cap);
}

TEST(ReturnPolicy, AFleetToldOneNumberSpreadsAfterARefusalOrTwo) {
  auto rng = seeded_rng();
  SyncSettings s;
  const Millis ra(3000);
  for (int64_t failures = 1; failures <= 4; ++failures) {
    const Millis window = std::min(ra, Millis(1000 << (failures - 1)));
    Millis least(1 << 30), most(0);
    for (int i = 0; i < 400; ++i) {
      const Millis d = busy_delay(ra, failures, s, rng);
      ASSERT_GE(d, ra);
      ASSERT_LE(d, ra + window) << failures;
      least = std::min(least, d);
      most = std::max(most, d);
    }
    EXPECT_GT((most - least).count(), window.count() * 9 / 10) << failures;  // over the whole window
  }
  // A Retry-After shorter than the granularity (or 0) still gets 1 s of it.
  for (int i = 0; i < 100; ++i) {
    EXPECT_LE(busy_delay(Millis(0), 5, s, rng), Millis(1000));
    EXPECT_GE(busy_delay(Millis(0), 5, s, rng), Millis(0));
  }
}

TEST(CentralRequests, ApplicationsAreCheckedAndCanonicalized) {
  const std::string body = R"({"client_id":"c1","receipt_no":"K03-20261122-0001","item_code":"T","channel":"kiosk",
    "submitted_at":"2026-11-22T09:31:05+08:00","applicant":{"name":"张三","id_type":"resident","id_number":"1"},
    "form":{"a":"b"},"materials":[{"material_id":"m1","blobs":[{"sha256":")" + std::string(64, 'a') +
                           R"(","mime":"image/jpeg","bytes":10,"pages":1}]}]})";
  auto a = central::parse_application(body);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_EQ(a->blobs.size(), 1u);
  EXPECT_EQ(a->blobs[0].bytes, 10);
  // Same content, other key order and spacing: the same canonical text.
  nlohmann::json j = nlohmann::json::parse(body);
  auto again = central::parse_application(j.dump(4));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(a->canonical, again->canonical);
  j["channel"] = "window";
  EXPECT_FALSE(central::parse_application(j.dump()).ok());  // window needs clerk_id
  j["channel"] = "kiosk";
  j["materials"][0]["blobs"][0].erase("bytes");  // optional: then the hash alone is checked
  EXPECT_EQ(central::parse_application(j.dump())->blobs[0].bytes, -1);
  j["materials"][0]["blobs"][0]["bytes"] = -5;
  EXPECT_FALSE(central::parse_application(j.dump()).ok());
  j["materials"][0]["blobs"][0]["bytes"] = 10;
  j["materials"][0]["blobs"][0]["sha256"] = std::string(64, 'A');
  EXPECT_FALSE(central::parse_application(j.dump()).ok());
  EXPECT_FALSE(central::parse_application("{\"client_id\":1}").ok());
}

TEST(CentralRequests, FeedbackAuditHeartbeatAndStatusQueries) {
  EXPECT_TRUE(central::parse_rating(R"({"id":"r1","level":5,"tags":[],"at":"2026-11-22T09:30:00+08:00"})").ok());
  EXPECT_FALSE(central::parse_rating(R"({"id":"r1","level":6,"at":"2026-11-22T09:30:00+08:00"})").ok());
  EXPECT_TRUE(central::parse_complaint(R"({"id":"c","about":"fee","text":"t","at":"2026-11-22T09:30:00Z"})").ok());
  EXPECT_FALSE(central::parse_complaint(R"({"id":"c","about":"weather","text":"t","at":"2026-11-22T09:30:00Z"})").ok());
  EXPECT_FALSE(central::parse_audit_upload(R"({"entries":[{"seq":0,"at":"a","type":"t","data":{},"prev_hash":"p","hash":"h"}]})").ok());
  EXPECT_TRUE(central::parse_heartbeat(R"({"at":"t","queue":{"pending":3}})").ok());
  std::string many = R"({"client_ids":[)";
  for (int i = 0; i < 201; ++i) many += std::string(i ? "," : "") + "\"x\"";
  EXPECT_FALSE(central::parse_status_query(many + "]}").ok());
}

TEST(Central, DeadlinesCountWorkingDays) {
  // Friday 2026-11-20 12:00 +08:00 + 3 working days → Wednesday 2026-11-25.
  ::setenv("TZ", "Asia/Shanghai", 1);
  ::tzset();
  const auto friday = std::chrono::system_clock::time_point(std::chrono::seconds(1795147200));
  EXPECT_EQ(central::add_working_days(friday, 3), "2026-11-25");
  EXPECT_EQ(central::add_working_days(friday, 0), "2026-11-20");
}

TEST(Progress, QueryValuesArePercentEncoded) {
  EXPECT_EQ(url_encode("K03-20261122-0042"), "K03-20261122-0042");
  EXPECT_EQ(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

// A central (or something posing as one) that answers with a document
// nested deeper than the spec's is refused, not walked.
TEST(Wire, DeeplyNestedResponsesAreRefused) {
  const std::string deep = std::string(30000, '[') + std::string(30000, ']');
  auto enrol = wire::parse_enrol_reply(R"({"terminal_id":"t","certificate_pem":"c","ca_chain_pem":"a","config":)" +
                                       deep + "}");
  ASSERT_FALSE(enrol.ok());
  EXPECT_EQ(enrol.error().code, "response_invalid");
  EXPECT_NE(enrol.error().message.find("nested deeper"), std::string::npos) << enrol.error().message;
  EXPECT_FALSE(wire::parse_heartbeat_reply(R"({"server_time":"t","commands":)" + deep + "}").ok());
  EXPECT_FALSE(wire::parse_status_list(R"({"statuses":)" + deep + "}").ok());
  EXPECT_FALSE(wire::parse_error(R"({"error":{"code":"x","missing":)" + deep + "}}").ok());
  EXPECT_FALSE(wire::is_json_object("{\"a\":" + deep + "}"));
}

}  // namespace
}  // namespace bianmin::sync
