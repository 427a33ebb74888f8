// The core's delivery bookkeeping (firmware/outbox/delivery.h, feedback.h)
// that the sync daemon drives.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "audit/anchor.h"
#include "audit/central_ledger.h"
#include "firmware/store_fixture.h"
#include "outbox/delivery.h"
#include "outbox/feedback.h"
#include "outbox/receipt_token.h"

namespace bianmin {
namespace {

using testing::TempDir;
using namespace std::chrono_literals;

struct Queued {
  std::unique_ptr<store::Store> store;
  std::vector<std::string> ids;
};

Queued queue_some(const TempDir& dir, int n) {
  Queued q;
  q.store = testing::open_store(dir);
  auto cat = testing::import_mini(*q.store);
  outbox::SubmitService svc(*q.store, "K03");
  for (int i = 0; i < n; ++i) {
    auto req = testing::valid_request(cat, "page " + std::to_string(i));
    auto done = svc.submit(req);
    EXPECT_TRUE(done.ok());
    if (done.ok()) q.ids.push_back(done->client_id);
  }
  return q;
}

std::vector<std::string> audit_types(store::Store& s) {
  std::vector<std::string> out;
  auto entries = audit::AuditLog(s.db(), s.sealer()).entries();
  for (const auto& e : *entries) out.push_back(e.type);
  return out;
}

TEST(Delivery, DueIsOldestFirstAndSkipsRecordsBackingOff) {
  TempDir dir;
  auto q = queue_some(dir, 3);
  outbox::Delivery d(*q.store);
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(*d.due(now, 10), q.ids);
  ASSERT_TRUE(d.schedule_retry(q.ids[0], now + 1h, "HTTP 500").ok());
  EXPECT_EQ(*d.due(now, 10), (std::vector<std::string>{q.ids[1], q.ids[2]}));
  EXPECT_EQ(d.due(now + 2h, 10)->size(), 3u);
  auto rec = outbox::ApplicationStore(*q.store).get(q.ids[0]);
  EXPECT_EQ((*rec)->attempts, 1);
  EXPECT_EQ((*rec)->last_error, "HTTP 500");
  ASSERT_TRUE(d.mark_delivered(q.ids[1], {"N1", "received", "t", "2026-12-01"}).ok());
  ASSERT_TRUE(d.mark_delivered(q.ids[2], {"N2", "received", "t", "2026-12-01"}).ok());
  auto next = d.next_due();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_GT(**next, now + 59min);
}

TEST(Delivery, QuarantineRetryAndDiscardAreAuditedAndOnlyFromQuarantine) {
  TempDir dir;
  auto q = queue_some(dir, 2);
  outbox::Delivery d(*q.store);
  EXPECT_EQ(d.retry(q.ids[0], "tech").error().code, "wrong_state");
  ASSERT_TRUE(d.quarantine(q.ids[0], "unknown_item: gone").ok());
  auto sum = d.summary();
  EXPECT_EQ(sum->quarantined, 1);
  EXPECT_EQ(sum->pending, 1);
  auto back = d.retry(q.ids[0], "tech-7");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->state, "queued");
  EXPECT_EQ(back->attempts, 0);
  ASSERT_TRUE(d.quarantine(q.ids[0], "unknown_item: gone").ok());
  auto gone = d.discard(q.ids[0], "tech-7", "item withdrawn");
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->state, "discarded");
  const auto types = audit_types(*q.store);
  EXPECT_EQ(types[types.size() - 2], "queue_retry");
  EXPECT_EQ(types.back(), "queue_discard");
  auto entries = audit::AuditLog(q.store->db(), q.store->sealer()).entries();
  EXPECT_EQ(entries->back().data["reason"], "item withdrawn");
  EXPECT_EQ(entries->back().data["quarantine_reason"], "unknown_item: gone");
  EXPECT_FALSE(audit::verify_chain(q.store->sealer().suite(), *entries));
  EXPECT_EQ(d.discard("nope", "t", "r").error().code, "not_found");
}

TEST(Delivery, RetentionPurgesFinalApplicationsButKeepsReceiptsAndAudit) {
  TempDir dir;
  auto q = queue_some(dir, 3);
  outbox::Delivery d(*q.store);
  outbox::ApplicationStore apps(*q.store);
  const std::string old = "2025-01-01T00:00:00+08:00";
  ASSERT_TRUE(d.mark_delivered(q.ids[0], {"N1", "received", old, "2025-01-10"}).ok());
  ASSERT_TRUE(d.record_progress({q.ids[0], "N1", "delivered", old, ""}).ok());
  ASSERT_TRUE(d.mark_delivered(q.ids[1], {"N2", "received", old, "2025-01-10"}).ok());
  ASSERT_TRUE(d.record_progress({q.ids[1], "N2", "approved", old, ""}).ok());  // not final yet
  const auto blob0 = (*apps.get(q.ids[0]))->blobs.at(0).sha256;
  const auto audit_before = audit_types(*q.store).size();
  auto report = d.purge(std::chrono::system_clock::now(), 30);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->applications, 1);
  EXPECT_EQ(report->blobs, 1);
  EXPECT_EQ(apps.request_body(q.ids[0]).error().code, "purged");
  EXPECT_FALSE(q.store->blobs().has(blob0));
  auto rec = apps.get((*apps.get(q.ids[0]))->receipt_no);
  ASSERT_TRUE(rec.ok() && rec->has_value());
  EXPECT_TRUE((*rec)->purged);
  EXPECT_TRUE(apps.request_body(q.ids[1]).ok());
  EXPECT_TRUE(apps.request_body(q.ids[2]).ok());
  EXPECT_EQ(audit_types(*q.store).size(), audit_before);
  EXPECT_EQ(d.purge(std::chrono::system_clock::now(), 0)->applications, 0);  // 0 keeps everything
  auto rec_report = q.store->recover();
  EXPECT_TRUE(rec_report->missing.empty());
}

TEST(Delivery, StatusPollingRotatesLeastRecentlyPolledFirst) {
  TempDir dir;
  auto q = queue_some(dir, 3);
  outbox::Delivery d(*q.store);
  for (const auto& id : q.ids) ASSERT_TRUE(d.mark_delivered(id, {"N" + id, "received", "t", ""}).ok());
  ASSERT_TRUE(d.record_progress({q.ids[2], "", "rejected", "t", ""}).ok());  // final: no more polls
  EXPECT_EQ(*d.open_for_status(10), (std::vector<std::string>{q.ids[0], q.ids[1]}));
  ASSERT_TRUE(d.mark_polled({q.ids[0]}, std::chrono::system_clock::now()).ok());
  EXPECT_EQ(*d.open_for_status(10), (std::vector<std::string>{q.ids[1], q.ids[0]}));
}

// Issue 16, item 4: the central lost delivered applications.
TEST(Delivery, ApplicationsTheCentralNoLongerKnowsAreQueuedAgain) {
  TempDir dir;
  auto q = queue_some(dir, 3);
  outbox::Delivery d(*q.store);
  for (const auto& id : q.ids) ASSERT_TRUE(d.mark_delivered(id, {"N" + id, "received", "t", ""}).ok());
  auto lost = d.requeue_unknown(q.ids, {q.ids[0], q.ids[2]});
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(*lost, std::vector<std::string>{q.ids[1]});
  EXPECT_EQ(*d.due(std::chrono::system_clock::now(), 10), std::vector<std::string>{q.ids[1]});
  EXPECT_EQ(*d.open_for_status(10), (std::vector<std::string>{q.ids[0], q.ids[2]}));
  EXPECT_TRUE(d.requeue_unknown(q.ids, q.ids)->empty()) << "known ones stay";
}

TEST(Delivery, AuditUploadBookkeeping) {
  TempDir dir;
  auto q = queue_some(dir, 3);
  audit::CentralLedger ledger(q.store->db(), q.store->sealer());
  EXPECT_EQ(ledger.pending(100)->size(), 3u);
  ASSERT_FALSE(ledger.accepted(2, 3)->problem);
  auto rest = ledger.pending(100);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->front().seq, 3);
  EXPECT_EQ(ledger.state()->central_seq, 2);
  ASSERT_TRUE(ledger.mark_pending_from(1).ok());
  EXPECT_EQ(ledger.pending(100)->size(), 3u);
}

// Issue 16, item 3: what the central accepted never goes backwards.
TEST(AuditLedger, AcceptedThroughGoingBackIsABreakAndTheEntriesGoAgain) {
  TempDir dir;
  auto q = queue_some(dir, 3);
  audit::CentralLedger ledger(q.store->db(), q.store->sealer());
  ASSERT_FALSE(ledger.accepted(3, 3)->problem);
  EXPECT_TRUE(ledger.pending(100)->empty());
  auto back = ledger.accepted(1, 3);
  ASSERT_TRUE(back->problem);
  EXPECT_EQ(back->problem->kind, "central_regressed");
  EXPECT_EQ(back->problem->seq, 2);
  EXPECT_EQ(back->resend_from, 2);
  EXPECT_EQ(ledger.pending(100)->size(), 2u);
  EXPECT_EQ(ledger.state()->break_seq, 2) << "recorded";
  EXPECT_EQ(ledger.state()->central_seq, 3) << "never lowered";
}

TEST(AuditLedger, ARefusalOfEntriesAlreadyAcceptedMarksNothing) {
  TempDir dir;
  auto q = queue_some(dir, 3);
  audit::CentralLedger ledger(q.store->db(), q.store->sealer());
  ASSERT_FALSE(ledger.accepted(3, 3)->problem);
  audit::AuditLog log(q.store->db(), q.store->sealer());
  ASSERT_TRUE(log.append(audit::kSessionStart, {}).ok());
  ASSERT_TRUE(log.append(audit::kSessionEnd, {}).ok());
  auto refused = ledger.refused(2, 4, 5, "entry 2 differs");
  ASSERT_TRUE(refused->problem);
  EXPECT_EQ(refused->problem->kind, "central_refused_accepted");
  EXPECT_EQ(refused->problem->seq, 2);
  EXPECT_EQ(ledger.pending(100)->size(), 2u) << "4 and 5 stay pending";
}

TEST(AuditLedger, OnlyTheStrictPrefixBeforeARefusedEntryCountsAsAccepted) {
  TempDir dir;
  auto q = queue_some(dir, 5);
  audit::CentralLedger ledger(q.store->db(), q.store->sealer());
  ASSERT_FALSE(ledger.accepted(2, 2)->problem);
  auto refused = ledger.refused(4, 3, 5, "");
  ASSERT_TRUE(refused->problem);
  EXPECT_EQ(refused->problem->kind, "central_refused");
  EXPECT_EQ(ledger.pending(100)->front().seq, 4);
  EXPECT_EQ(ledger.state()->central_seq, 3);
  // A 409 that names an entry past the batch (the old central's answer to a
  // conflict) is not an acceptance of the batch.
  auto past = ledger.refused(9, 4, 5, "");
  ASSERT_TRUE(past->problem);
  EXPECT_EQ(ledger.pending(100)->front().seq, 4);
}

TEST(AuditLedger, ATailCutAndRebuiltAfterUploadIsCaughtBeforeTheNextUpload) {
  TempDir dir;
  auto q = queue_some(dir, 3);
  audit::CentralLedger ledger(q.store->db(), q.store->sealer());
  ASSERT_FALSE(ledger.accepted(3, 3)->problem);
  // Someone with the device key cuts entry 3 and forges the anchor: the
  // local check cannot tell; what the central accepted can.
  ASSERT_TRUE(q.store->db().exec("DELETE FROM audit_log WHERE seq = 3").ok());
  audit::Anchor anchor(q.store->db(), q.store->sealer());
  auto forged = *ledger.state();
  forged.seq = 2;
  forged.hash = anchor.head()->hash;
  ASSERT_TRUE(anchor.store(forged).ok());
  ASSERT_TRUE(audit::AuditLog(q.store->db(), q.store->sealer()).append(audit::kSessionStart, {}).ok());
  auto after = ledger.check();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->break_kind, "diverged_from_central");
  EXPECT_EQ(after->break_seq, 3);
}

TEST(Feedback, BodiesAreFixedAtWriteTimeAndCommentsSealedAtRest) {
  TempDir dir;
  auto s = testing::open_store(dir);
  outbox::RatingInput r;
  r.level = 4;
  r.tags = {"态度好", "快"};
  r.comment = "窗口工作人员很耐心";
  auto rid = outbox::add_rating(*s, r);
  ASSERT_TRUE(rid.ok());
  outbox::ComplaintInput c;
  c.about = "fee";
  c.text = "多收了费用";
  c.contact_phone = "13909360001";
  ASSERT_TRUE(outbox::add_complaint(*s, c).ok());
  EXPECT_EQ(outbox::add_rating(*s, {std::nullopt, std::nullopt, 9, {}, ""}).error().code, "validation_failed");
  outbox::FeedbackOutbox box(*s);
  auto first = box.due(std::chrono::system_clock::now(), 10);
  auto second = box.due(std::chrono::system_clock::now(), 10);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].body, (*second)[0].body);  // replays send the same bytes
  EXPECT_EQ((*first)[1].body, (*second)[1].body);
  auto body = nlohmann::json::parse((*first)[0].body);
  EXPECT_EQ(body["id"], *rid);
  EXPECT_EQ(body["comment"], "窗口工作人员很耐心");
  const std::string raw = testing::read_file(dir.path() + "/data/bianmin.db");
  EXPECT_EQ(raw.find("窗口工作人员很耐心"), std::string::npos);
  EXPECT_EQ(raw.find("多收了费用"), std::string::npos);
  ASSERT_TRUE(box.mark_delivered("rating", *rid).ok());
  EXPECT_EQ(*box.pending(), 1);
}

TEST(Wake, AQueuedSubmissionWakesTheDaemonSocket) {
  TempDir dir;
  const std::string path = outbox::sync_wake_socket_path(dir.path());
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  outbox::wake_sync_daemon(dir.path());
  char b = 0;
  EXPECT_EQ(::recv(fd, &b, 1, MSG_DONTWAIT), 1);
  ::close(fd);
  outbox::wake_sync_daemon(dir.path() + "/nobody-listens");  // harmless
}

// Issue 16, item 8: the token was HMAC(key = client_id, constant), and the
// client_id sits beside the receipt number in logs and the unsealed table.
// Now only the device key makes it, and the central learns it from the
// sealed request body.
TEST(ReceiptToken, OnlyTheDeviceKeyMakesItAndTheCentralIsToldInTheBody) {
  TempDir dir, other_dir;
  auto q = queue_some(dir, 2);
  const std::string printed = outbox::receipt_token(q.store->sealer(), q.ids[0]);
  EXPECT_EQ(printed.size(), 22u);
  EXPECT_NE(printed, outbox::receipt_token(q.store->sealer(), q.ids[1]));
  // What the logs and the unsealed table give away is not enough.
  for (auto suite : {crypto::Suite::standard, crypto::Suite::gm})
    EXPECT_NE(printed, outbox::receipt_token_v1(suite, q.ids[0]));
  // Another terminal (another device key) makes another token.
  auto other = testing::open_store(other_dir);
  EXPECT_NE(printed, outbox::receipt_token(other->sealer(), q.ids[0]));
  // The body the central receives carries it.
  outbox::ApplicationStore apps(*q.store);
  auto body = apps.request_body(q.ids[0]);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(nlohmann::json::parse(*body)["receipt_token"], printed);
}

}  // namespace
}  // namespace bianmin
