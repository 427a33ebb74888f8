// The reference central against the spec's edge cases, driven in-process
// through the terminal's own HTTPS client and enrolment.
#include <gtest/gtest.h>

#include <thread>

#include "audit/audit_log.h"
#include "central_fixture.h"
#include "common/wire.h"
#include "crypto/suite.h"
#include "outbox/receipt_token.h"

namespace bianmin::sync {
namespace {

TEST_F(CentralSpec, BlobsResumeFromTheCentralsOffsetAndAreCheckedWhenComplete) {
  auto c = enrolled("s1");
  const std::string bytes(100000, 'z');
  const std::string sha = crypto::sha256_hex(bytes);
  EXPECT_EQ(c->send({"HEAD", "/api/v1/blobs/" + sha, {}, {}})->status, 404);
  auto r = patch(*c, sha, 0, 100000, std::string_view(bytes).substr(0, 30000));
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("upload-offset"), "30000");
  auto head = c->send({"HEAD", "/api/v1/blobs/" + sha, {}, {}});
  EXPECT_EQ(head->header("upload-offset"), "30000");
  EXPECT_EQ(head->header("upload-length"), "100000");
  r = patch(*c, sha, 10000, 100000, std::string_view(bytes).substr(10000, 10));  // stale offset
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.header("upload-offset"), "30000");
  r = patch(*c, sha, 30000, 100000, std::string_view(bytes).substr(30000));
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("upload-offset"), "100000");
  // Complete and immutable: sending it again is harmless.
  EXPECT_EQ(patch(*c, sha, 100000, 100000, "").status, 204);
  EXPECT_EQ(patch(*c, sha, 0, 100000, "zz").status, 409);

  // Bytes that do not hash to the address: 422 and the partial blob is gone.
  const std::string wrong_sha = crypto::sha256_hex("something else");
  r = patch(*c, wrong_sha, 0, 5, "abcde");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(wire::parse_error(r.body)->code, "digest_mismatch");
  EXPECT_EQ(c->send({"HEAD", "/api/v1/blobs/" + wrong_sha, {}, {}})->status, 404);
  EXPECT_EQ(patch(*c, wrong_sha, 0, (int64_t{64} << 20) + 1, "a").status, 413);
}

TEST_F(CentralSpec, ApplicationsAreIdempotentByClientIdAndNeedTheirBlobs) {
  auto c = enrolled("s2");
  const std::string page(5000, 'p');
  const std::string sha = crypto::sha256_hex(page);
  const std::string id = "0193f1c2-0000-7000-8000-000000000001";
  const std::string body = application(id, "T-QR-0001", {sha}, 5000).dump();
  auto r = post(*c, "/api/v1/applications", body, id);
  EXPECT_EQ(r.status, 412);
  EXPECT_EQ(wire::parse_error(r.body)->missing, std::vector<std::string>{sha});
  EXPECT_EQ(patch(*c, sha, 0, 5000, page).status, 204);
  auto first = post(*c, "/api/v1/applications", body, id);
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = post(*c, "/api/v1/applications", body, id);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);  // identical body on replay
  auto acc = wire::parse_acceptance(first.body);
  ASSERT_TRUE(acc.ok());
  EXPECT_EQ(acc->status, "received");
  EXPECT_EQ(acc->case_no.substr(0, 6), "620702");
  // Same key, other content: the first stands.
  json changed = json::parse(body);
  changed["form"]["phone"] = "13909360001";
  auto conflict = post(*c, "/api/v1/applications", changed.dump(), id);
  EXPECT_EQ(conflict.status, 422);
  EXPECT_EQ(wire::parse_error(conflict.body)->code, "idempotency_conflict");
  // Unknown item, and an item that is not for kiosks.
  const std::string id2 = "0193f1c2-0000-7000-8000-000000000002";
  EXPECT_EQ(post(*c, "/api/v1/applications", application(id2, "NOPE", {}, 0).dump(), id2).status, 422);
  EXPECT_EQ(post(*c, "/api/v1/applications", application(id2, "T-XK-0002", {}, 0).dump(), id2).status, 422);
  EXPECT_EQ(post(*c, "/api/v1/applications", "{", id2).status, 400);
  EXPECT_EQ(post(*c, "/api/v1/applications", body, "other-key").status, 400);
}

TEST_F(CentralSpec, AConcurrentRetryIsToldInProgress) {
  shut();
  central::CentralOptions o;
  o.processing_delay_ms = 800;
  start(o);
  auto c1 = enrolled("s3");
  HttpClient c2(url_, trust_of(enrolment_), {});
  const std::string id = "0193f1c2-0000-7000-8000-000000000003";
  const std::string body = application(id, "T-QR-0001", {}, 0).dump();
  HttpResponse slow;
  std::thread first([&] { slow = post(*c1, "/api/v1/applications", body, id); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto busy = post(c2, "/api/v1/applications", body, id);
  first.join();
  EXPECT_EQ(busy.status, 409);
  EXPECT_EQ(wire::parse_error(busy.body)->code, "in_progress");
  EXPECT_EQ(slow.status, 201);
}

TEST_F(CentralSpec, ProgressNeedsTheReceiptsTokenAndLeaksNothingWithout) {
  auto c = enrolled("s4");
  const std::string id = "0193f1c2-0000-7000-8000-000000000004";
  json app = application(id, "T-QR-0001", {}, 0);
  const std::string token = outbox::receipt_token(store_->sealer(), id);  // what the terminal printed
  app["receipt_token"] = token;
  ASSERT_EQ(post(*c, "/api/v1/applications", app.dump(), id).status, 201);
  const std::string receipt = app["receipt_no"];
  // Knowing the client_id (logs, the unsealed queue) is not enough.
  auto derived = c->send({"GET", "/api/v1/progress?receipt_no=" + receipt + "&token=" +
                                     outbox::receipt_token_v1(crypto::Suite::standard, id), {}, {}});
  EXPECT_EQ(derived->status, 404);
  auto ok = c->send({"GET", "/api/v1/progress?receipt_no=" + receipt + "&token=" + token, {}, {}});
  ASSERT_EQ(ok->status, 200);
  EXPECT_EQ(wire::parse_status(ok->body)->client_id, id);
  // One character changed (to one the token does not start with: a fixed
  // "x" was the token itself whenever the token began with x).
  const std::string wrong_token = std::string(1, token[0] == 'x' ? 'y' : 'x') + token.substr(1);
  auto wrong = c->send({"GET", "/api/v1/progress?receipt_no=" + receipt + "&token=" + wrong_token, {}, {}});
  auto missing = c->send({"GET", "/api/v1/progress?receipt_no=K99-1&token=" + token, {}, {}});
  EXPECT_EQ(wrong->status, 404);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(wrong->body, missing->body);
  auto statuses = post(*c, "/api/v1/applications/status", json{{"client_ids", {id, "unknown"}}}.dump());
  EXPECT_EQ(wire::parse_status_list(statuses.body)->size(), 1u);

  // An application queued by older firmware carries no token: receipts
  // already printed with the v1 token keep working.
  const std::string old_id = "0193f1c2-0000-7000-8000-000000000005";
  json old_app = application(old_id, "T-QR-0001", {}, 0);
  old_app["receipt_no"] = "K03-20261122-0005";
  ASSERT_EQ(post(*c, "/api/v1/applications", old_app.dump(), old_id).status, 201);
  auto legacy = c->send({"GET", "/api/v1/progress?receipt_no=" + old_app["receipt_no"].get<std::string>() + "&token=" +
                                    outbox::receipt_token_v1(crypto::Suite::standard, old_id), {}, {}});
  EXPECT_EQ(legacy->status, 200);
}

TEST_F(CentralSpec, TheDemoScheduleMovesOpenCasesOneStepAtATime) {
  auto c = enrolled("s8");
  const std::string id = "0193f1c2-0000-7000-8000-000000000008";
  ASSERT_EQ(post(*c, "/api/v1/applications", application(id, "T-QR-0001", {}, 0).dump(), id).status, 201);
  auto status = [&] {
    auto r = post(*c, "/api/v1/applications/status", json{{"client_ids", {id}}}.dump());
    return (*wire::parse_status_list(r.body))[0];
  };
  for (const char* expected : {"accepted", "in_review", "approved", "delivered", "delivered"}) {
    ASSERT_TRUE(central_->advance_open_cases().ok());
    EXPECT_EQ(status().status, expected);
  }
  EXPECT_EQ(status().history.size(), 5u);
  EXPECT_FALSE(status().overdue);
  EXPECT_EQ(central_->advance("no-such-case", "approved", "").error().code, "not_found");
}

TEST_F(CentralSpec, CatalogueAnswers304WhenUnchanged) {
  auto c = enrolled("s5");
  auto full = c->send({"GET", "/api/v1/catalog", {}, {}});
  ASSERT_EQ(full->status, 200);
  EXPECT_EQ(wire::parse_etag(full->header("etag")), "test-1");
  auto same = c->send({"GET", "/api/v1/catalog", {{"If-None-Match", "\"test-1\""}}, {}});
  EXPECT_EQ(same->status, 304);
  EXPECT_TRUE(same->body.empty());
}

TEST_F(CentralSpec, AuditChainsMustContinueFromWhatTheCentralHolds) {
  auto c = enrolled("s6");
  audit::AuditLog chain(store_->db(), store_->sealer());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(chain.append("session_start", {{"n", i}}).ok());
  auto entries = *chain.entries();
  auto upload = [&](std::vector<audit::Entry> es) {
    json body = {{"entries", json::array()}};
    for (const auto& e : es) body["entries"].push_back(e.to_json());
    return post(*c, "/api/v1/audit", body.dump());
  };
  auto r = upload({entries[0], entries[1], entries[2]});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(*wire::parse_audit_reply(r.body), 3);
  EXPECT_EQ(*wire::parse_audit_reply(upload({entries[1], entries[2], entries[3]}).body), 4);  // overlap is fine
  EXPECT_EQ(upload({entries[4]}).status, 200);
  audit::Entry forged = entries[4];
  forged.seq = 6;
  forged.prev_hash = entries[4].hash;
  forged.data = {{"n", 99}};  // hash no longer matches
  auto broken = upload({forged});
  EXPECT_EQ(broken.status, 409);
  EXPECT_EQ(wire::parse_error(broken.body)->expected_seq, 6);
}

TEST_F(CentralSpec, EnrolmentCodesWorkOnceAndReEnrolmentReplacesTheCertificate) {
  auto old_client = enrolled("s7", "620702-001-K07");
  EXPECT_EQ(old_client->send({"GET", "/api/v1/catalog", {}, {}})->status, 200);
  HttpClient anon(url_, TlsTrust{central_->ca_pem(), "", "", ""}, {});
  auto used = post(anon, "/api/v1/enroll", json{{"enrollment_code", "NOPE"}, {"csr_pem", "x"}}.dump());
  EXPECT_EQ(used.status, 403);
  EXPECT_EQ(wire::parse_error(used.body)->code, "enrollment_code_invalid");
  EXPECT_EQ(anon.send({"GET", "/api/v1/catalog", {}, {}})->status, 401);  // no client certificate
  auto new_client = enrolled("s7", "620702-001-K07");
  EXPECT_EQ(new_client->send({"GET", "/api/v1/catalog", {}, {}})->status, 200);
  auto stale = old_client->send({"GET", "/api/v1/catalog", {}, {}});
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->status, 401);
  EXPECT_EQ(wire::parse_error(stale->body)->code, "certificate_unknown");
}

TEST_F(CentralSpec, OnlyTheFingerprintedCaIsTrustedAtEnrolment) {
  auto other = pki::create_authority("not the central", 1);
  HttpClient wrong(url_, TlsTrust{"", *pki::fingerprint(other->cert_pem), "", ""}, {});
  auto r = wrong.send({"GET", "/api/v1/health", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "tls_untrusted");
  HttpClient right(url_, TlsTrust{"", central_->ca_fingerprint(), "", ""}, {});
  auto ok = right.send({"GET", "/api/v1/health", {}, {}});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(*pki::fingerprint(right.matched_ca_pem()), central_->ca_fingerprint());
  HttpClient pinned_other(url_, TlsTrust{other->cert_pem, "", "", ""}, {});
  EXPECT_EQ(pinned_other.send({"GET", "/api/v1/health", {}, {}}).error().code, "tls_untrusted");
}

// Issue 16, item 1: one enrolled terminal's body nested 30,000 deep (60 KB)
// segfaulted the whole central. Every JSON route refuses it with a 400 and
// the central keeps serving.
TEST_F(CentralSpec, DeeplyNestedBodiesAreRefusedAndTheCentralStaysUp) {
  auto c = enrolled("s-deep");
  const std::string deep = std::string(30000, '[') + std::string(30000, ']');
  const std::string hb = R"({"at":"2026-11-22T09:30:00+08:00","firmware_version":"1","catalog_version":"x",)"
                         R"("queue":{"pending":0},"devices":{"printer":)" + deep + "}}";
  for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/heartbeat", hb},
           {"/api/v1/applications", R"({"client_id":"c","form":)" + deep + "}"},
           {"/api/v1/applications/status", R"({"client_ids":)" + deep + "}"},
           {"/api/v1/ratings", R"({"id":"r","tags":)" + deep + "}"},
           {"/api/v1/complaints", R"({"id":"q","text":)" + deep + "}"},
           {"/api/v1/audit", R"({"entries":[{"seq":1,"data":)" + deep + "}]}"}}) {
    auto r = post(*c, path, body, "c");
    EXPECT_EQ(r.status, 400) << path << ": " << r.body;
    auto err = wire::parse_error(r.body);
    ASSERT_TRUE(err.ok()) << path << ": " << r.body;
    EXPECT_NE(err->message.find("nested deeper"), std::string::npos) << path << ": " << err->message;
  }
  HttpClient anon(url_, TlsTrust{central_->ca_pem(), "", "", ""}, {});
  EXPECT_EQ(post(anon, "/api/v1/enroll", R"({"enrollment_code":)" + deep + "}").status, 400);
  EXPECT_EQ(c->send({"GET", "/api/v1/health", {}, {}})->status, 200);
}

// Issue 13: the health answer advises the fleet's return window (an
// optional field a conforming terminal ignores) once the central knows its
// capacity: fleet × requests each / capacity, the fleet counted from the
// enrolled terminals unless stated.
TEST_F(CentralSpec, HealthAdvisesAReturnWindowOnceTheCapacityIsKnown) {
  auto window_of = [](HttpClient& client) {
    auto r = client.send({"GET", "/api/v1/health", {}, {}});
    EXPECT_TRUE(r.ok());
    auto h = wire::parse_health(r.ok() ? r->body : "");
    EXPECT_TRUE(h.ok());
    return h.ok() ? h->return_window_s : -1;
  };
  // Enrolled anew after each restart: the central's data (and its CA) stays,
  // but the client of a stopped central is not reused.
  auto health = [&, this] {
    auto c = enrolled("w", "620702-001-K01");
    return window_of(*c);
  };
  (void)enrolled("w2", "620702-001-K02");
  (void)enrolled("w3", "620702-001-K03");
  EXPECT_EQ(health(), 0);  // never saturated, no capacity stated: the spec's answer alone
  shut();
  central::CentralOptions o;
  o.capacity_per_s = 2;
  start(o);
  EXPECT_EQ(health(), 6);  // 3 enrolled × 4 requests at 2 a second
  // Without a terminal's certificate (the health call needs none) the
  // answer says nothing of the fleet.
  HttpClient anon(url_, TlsTrust{central_->ca_pem(), "", "", ""}, {});
  EXPECT_EQ(window_of(anon), 0);
  shut();
  o.fleet_size = 1000;
  o.capacity_per_s = 300;
  start(o);
  EXPECT_EQ(health(), 14);  // 4000 requests at 300 a second, rounded up
}

}  // namespace
}  // namespace bianmin::sync
