// System updates offered by the central (issue 12, point 4): the heartbeat
// answer's update command, the staged rollout, the bundle served with Range,
// the terminal's resumable, hash-checked download and its decision whether
// to take an offer.
#include <gtest/gtest.h>

#include <unistd.h>

#include <random>

#include "central_fixture.h"
#include "client/bundle_download.h"
#include "client/update_offer.h"
#include "common/wire.h"
#include "crypto/suite.h"

namespace bianmin::sync {
namespace {

const std::string kSha(64, 'a');

std::string random_bytes(std::size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

TEST(UpdateOffer, TheHeartbeatAnswerCarriesAWellFormedOfferOnly) {
  auto h = wire::parse_heartbeat_reply(R"({"server_time":"t","commands":[{"type":"refresh_catalog"},
      {"type":"update","url":"https://10.0.2.2:8443/api/v1/updates/)" + kSha + R"(","sha256":")" + kSha +
                                       R"(","version":"0.2.0+1a2b"}]})");
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(h->update);
  EXPECT_EQ(h->update->url, "https://10.0.2.2:8443/api/v1/updates/" + kSha);
  EXPECT_EQ(h->update->version, "0.2.0+1a2b");
  EXPECT_TRUE(h->ignored.empty());

  // A path on the central is a URL too.
  auto p = wire::parse_heartbeat_reply(R"({"commands":[{"type":"update","url":"/api/v1/updates/)" + kSha +
                                       R"(","sha256":")" + kSha + R"(","version":"2"}]})");
  ASSERT_TRUE(p.ok() && p->update);
  EXPECT_EQ(p->update->url, "/api/v1/updates/" + kSha);

  const std::pair<const char*, std::string> bad[] = {
      {"plain http", R"({"type":"update","url":"http://c/x","sha256":")" + kSha + R"(","version":"2"})"},
      {"another scheme's host", R"({"type":"update","url":"//evil/x","sha256":")" + kSha + R"(","version":"2"})"},
      {"short hash", R"({"type":"update","url":"/x","sha256":"abc","version":"2"})"},
      {"upper-case hash", R"({"type":"update","url":"/x","sha256":")" + std::string(64, 'A') + R"(","version":"2"})"},
      {"version with a slash", R"({"type":"update","url":"/x","sha256":")" + kSha + R"(","version":"../2"})"},
      {"no version", R"({"type":"update","url":"/x","sha256":")" + kSha + R"("})"},
      {"version not a string", R"({"type":"update","url":"/x","sha256":")" + kSha + R"(","version":2})"},
  };
  for (const auto& [what, command] : bad) {
    auto r = wire::parse_heartbeat_reply(R"({"commands":[)" + command + "]}");
    ASSERT_TRUE(r.ok()) << what;
    EXPECT_FALSE(r->update) << what;
    EXPECT_EQ(r->ignored.size(), 1u) << what;
  }
}

TEST(UpdateOffer, ContentRangeIsReadStrictly) {
  auto r = parse_content_range("bytes 100-199/1000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 100);
  EXPECT_EQ(r->last, 199);
  EXPECT_EQ(r->total, 1000);
  auto whole = parse_content_range("bytes */1000");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->total, 1000);
  for (const char* bad : {"", "bytes 5-4/10", "bytes 0-10/10", "bytes -1-3/10", "items 0-1/2", "bytes 0-1", "bytes 0-1/x"})
    EXPECT_FALSE(parse_content_range(bad)) << bad;
}

TEST(UpdateOffer, AVersionRefusedOrRolledBackIsNeverTakenAgainButAFailedOneIsRetried) {
  const wire::UpdateOffer offer{"/u", kSha, "0.2.0"};
  using update::Outcome;
  auto last = [](Outcome o, const std::string& v = "0.2.0") {
    return std::optional<update::UpdateRecord>(update::UpdateRecord{v, o, "why", "B", "t"});
  };
  EXPECT_TRUE(judge_offer(offer, "", std::nullopt).take);
  EXPECT_FALSE(judge_offer(offer, "0.2.0", std::nullopt).take);
  EXPECT_FALSE(judge_offer(offer, "", last(Outcome::refused)).take);
  EXPECT_FALSE(judge_offer(offer, "", last(Outcome::rolled_back)).take);
  EXPECT_FALSE(judge_offer(offer, "", last(Outcome::installed)).take);
  EXPECT_FALSE(judge_offer(offer, "", last(Outcome::installing)).take);
  EXPECT_TRUE(judge_offer(offer, "", last(Outcome::failed)).take);
  EXPECT_TRUE(judge_offer(offer, "", last(Outcome::rolled_back, "0.1.9")).take);  // another version's
  const json report = {{"slot", "B"},
                       {"slots", {{{"slot", "A"}, {"version", ""}}, {{"slot", "B"}, {"version", "0.2.0"}}}}};
  EXPECT_EQ(running_version(report), "0.2.0");
  EXPECT_EQ(running_version(json{{"rauc", "no RAUC here"}}), "");
  EXPECT_EQ(running_version(json{{"slot", 5}, {"slots", 3}}), "");
}

class UpdateOfferCentral : public CentralSpec {
 protected:
  std::string offer(const std::string& bytes, const std::string& version, int percent) {
    const std::string path = dir_.file("bundle-" + version + ".raucb");
    testing::write_file(path, bytes);
    auto r = central_->offer_update(path, version, percent);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? (*r)["sha256"].get<std::string>() : "";
  }
  // The update command of a heartbeat that reports `system`, or null.
  json update_command(HttpClient& c, const json& system = nullptr) {
    json hb = {{"at", "2026-12-07T10:00:00+08:00"}, {"firmware_version", "0.1.0"},
               {"queue", {{"pending", 0}}}, {"devices", json::object()}, {"catalog_version", ""}};
    if (!system.is_null()) hb["system"] = system;
    auto r = post(c, "/api/v1/heartbeat", hb.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& cmd : json::parse(r.body, nullptr, false).value("commands", json::array()))
      if (cmd.value("type", "") == "update") return cmd;
    return nullptr;
  }
};

TEST_F(UpdateOfferCentral, AnOfferReachesItsShareOfTheFleetAndWidensWhenRaised) {
  const std::string id = "620702-001-K03";
  auto client = enrolled("k03", id);
  const int bucket = central::rollout_bucket(id);
  const std::string bytes = random_bytes(5000, 1);
  const std::string sha = offer(bytes, "0.2.0", bucket);  // the buckets below this terminal's
  EXPECT_EQ(sha, crypto::sha256_hex(bytes));
  EXPECT_TRUE(update_command(*client).is_null());
  offer(bytes, "0.2.0", bucket + 1);
  json cmd = update_command(*client);
  ASSERT_FALSE(cmd.is_null());
  EXPECT_EQ(cmd["sha256"], sha);
  EXPECT_EQ(cmd["version"], "0.2.0");
  EXPECT_EQ(cmd["url"], url_ + "/api/v1/updates/" + sha);
  // A terminal that booted that version is not offered it again.
  EXPECT_TRUE(update_command(*client, {{"slot", "B"}, {"slots", {{{"slot", "B"}, {"version", "0.2.0"}}}}}).is_null());
  EXPECT_FALSE(update_command(*client, {{"slot", "A"}, {"slots", {{{"slot", "A"}, {"version", "0.1.0"}}}}}).is_null());
  ASSERT_TRUE(central_->withdraw_update().ok());
  EXPECT_TRUE(update_command(*client).is_null());

  // Buckets spread a fleet evenly and nest: 10 % of 2,000 ids, then 50 %
  // includes every one of the first 10 %.
  int at10 = 0, at50 = 0, nested = 0;
  for (int i = 0; i < 2000; ++i) {
    const int b = central::rollout_bucket("620702-" + std::to_string(i));
    at10 += b < 10;
    at50 += b < 50;
    nested += b < 10 && b < 50;
  }
  EXPECT_NEAR(at10, 200, 50);
  EXPECT_NEAR(at50, 1000, 100);
  EXPECT_EQ(nested, at10);
}

TEST_F(UpdateOfferCentral, ABundleDownloadResumesChunkByChunkAndIsCheckedAgainstTheOfferedHash) {
  auto client = enrolled("k03");
  const std::string bytes = random_bytes(300000, 2);
  const std::string sha = offer(bytes, "0.2.0", 100);
  const std::string path = "/api/v1/updates/" + sha;
  TempDir terminal;
  const std::string dir = terminal.file("updates");

  // Each step one chunk; a new object (a restarted daemon) goes on from the part.
  int steps = 0;
  for (; steps < 3; ++steps) {
    BundleDownload d(dir, sha);
    auto s = d.step(*client, path, 65536, nullptr);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->kind, DownloadStep::Kind::progressed);
    EXPECT_EQ(s->have, 65536 * (steps + 1));
    EXPECT_EQ(s->total, 300000);
  }
  // A power cut tore the part's tail: its last 1,000 bytes are zeros.
  {
    BundleDownload d(dir, sha);
    std::string part = testing::read_file(d.part_path());
    std::fill(part.end() - 1000, part.end(), '\0');
    testing::write_file(d.part_path(), part);
    auto s = d.step(*client, path, 65536, nullptr);
    ASSERT_TRUE(s.ok());
    auto last = d.step(*client, path, 65536, nullptr);
    ASSERT_FALSE(last.ok());
    EXPECT_EQ(last.error().code, "hash_mismatch");
    EXPECT_EQ(d.have(), 0) << "the torn part is gone; the download starts over";
    EXPECT_FALSE(d.complete());
  }
  BundleDownload d(dir, sha);
  int alive = 0;
  for (steps = 0; steps < 10 && !d.complete(); ++steps) {
    auto s = d.step(*client, path, 65536, [&] { ++alive; });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  EXPECT_EQ(steps, 5);
  EXPECT_GT(alive, 0);
  ASSERT_TRUE(d.complete());
  EXPECT_EQ(testing::read_file(d.bundle_path()), bytes);

  // A part already whole (the rename was cut off) is finished by a 416.
  ASSERT_EQ(::rename(d.bundle_path().c_str(), d.part_path().c_str()), 0);
  auto s = d.step(*client, path, 65536, nullptr);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->kind, DownloadStep::Kind::complete) << s->answer.status << " " << s->answer.header("content-range");

  // An error answer to a resumed download is an answer, not "the part is
  // whole": the part stays (cpp-httplib would cut the error's body to the
  // asked range, an empty 416, without keep_body_whole).
  {
    ASSERT_EQ(::rename(d.bundle_path().c_str(), d.part_path().c_str()), 0);
    std::string part = testing::read_file(d.part_path());
    part.resize(200000);
    testing::write_file(d.part_path(), part);
    auto unknown = d.step(*client, "/api/v1/updates/" + std::string(64, 'd'), 65536, nullptr);
    ASSERT_TRUE(unknown.ok()) << unknown.error().message;
    EXPECT_EQ(unknown->kind, DownloadStep::Kind::answered);
    EXPECT_EQ(unknown->answer.status, 404);
    EXPECT_EQ(d.have(), 200000);
    for (int i = 0; i < 5 && !d.complete(); ++i) ASSERT_TRUE(d.step(*client, path, 65536, nullptr).ok());
    ASSERT_TRUE(d.complete());
  }

  // Files of an older offer go when another is downloaded.
  testing::write_file(dir + "/" + std::string(64, 'b') + ".part", "old");
  d.remove_others();
  EXPECT_NE(::access((dir + "/" + std::string(64, 'b') + ".part").c_str(), F_OK), 0);
  EXPECT_TRUE(d.complete());
}

TEST_F(UpdateOfferCentral, OnlyTheOfferedBundleIsServedAndOnlyToEnrolledTerminals) {
  auto client = enrolled("k03");
  const std::string sha = offer(random_bytes(1000, 3), "0.2.0", 100);
  TempDir terminal;
  BundleDownload other(terminal.file("updates"), std::string(64, 'c'));
  auto s = other.step(*client, "/api/v1/updates/" + std::string(64, 'c'), 65536, nullptr);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->kind, DownloadStep::Kind::answered);
  EXPECT_EQ(s->answer.status, 404);
  EXPECT_EQ(other.have(), 0);

  HttpClient stranger(url_, TlsTrust{central_->ca_pem(), "", "", ""}, {});
  auto r = stranger.send({"GET", "/api/v1/updates/" + sha, {}, {}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 401);

  ASSERT_TRUE(central_->withdraw_update().ok());
  // Withdrawn, its copy on the central is gone too.
  EXPECT_NE(::access((dir_.file("central") + "/updates/" + sha + ".raucb").c_str(), F_OK), 0);
  BundleDownload withdrawn(terminal.file("updates"), sha);
  auto w = withdrawn.step(*client, "/api/v1/updates/" + sha, 65536, nullptr);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->answer.status, 404);
}

}  // namespace
}  // namespace bianmin::sync
