#include "outbox/feedback.h"

#include <nlohmann/json.hpp>

#include "audit/jcs.h"
#include "base/bytes.h"
#include "base/uuid.h"
#include "domain/application.h"
#include "outbox/delivery.h"
#include "store/store.h"

namespace bianmin::outbox {

using json = nlohmann::json;

namespace {

std::string table_of(const std::string& kind) { return kind == "rating" ? "ratings" : "complaints"; }

Status check_text(const std::string& field, const std::string& text, std::size_t max_chars) {
  if (!is_valid_utf8(text)) return make_error("validation_failed", field + ": not valid UTF-8");
  if (utf8_length(text) > max_chars)
    return make_error("validation_failed", field + ": longer than " + std::to_string(max_chars) + " characters");
  return {};
}

}  // namespace

Result<std::string> add_rating(store::Store& s, const RatingInput& in) {
  if (in.level < 1 || in.level > 5) return make_error("validation_failed", "level: must be 1..5");
  BIANMIN_TRY(check_text("comment", in.comment, 500));
  for (const auto& t : in.tags) BIANMIN_TRY(check_text("tags", t, 32));
  const std::string id = make_uuid_v7();
  BIANMIN_ASSIGN(store::Statement st, s.db().prepare(
      "INSERT INTO ratings(id, client_id, item_code, level, tags, sealed_comment, at) VALUES(?, ?, ?, ?, ?, ?, ?)"));
  st.bind(1, id).bind_opt(2, in.client_id).bind_opt(3, in.item_code).bind(4, in.level)
      .bind(5, json(in.tags).dump()).bind(7, time::now_rfc3339());
  if (in.comment.empty()) st.bind_null(6);
  else st.bind_blob(6, s.sealer().seal(in.comment, "rating:" + id));
  BIANMIN_TRY(st.run());
  return id;
}

Result<std::string> add_complaint(store::Store& s, const ComplaintInput& in) {
  if (in.about != "service" && in.about != "staff" && in.about != "fee" && in.about != "other")
    return make_error("validation_failed", "about: must be service, staff, fee or other");
  if (in.text.empty()) return make_error("validation_failed", "text: required");
  BIANMIN_TRY(check_text("text", in.text, 2000));
  if (in.contact_phone && !domain::is_phone_number(*in.contact_phone))
    return make_error("validation_failed", "contact_phone: not a phone number");
  const std::string id = make_uuid_v7();
  const std::string at = time::now_rfc3339();
  json body = {{"id", id}, {"about", in.about}, {"text", in.text}, {"at", at}};
  if (in.contact_phone) body["contact_phone"] = *in.contact_phone;
  if (in.client_id) body["client_id"] = *in.client_id;
  std::string plain = audit::canonical_json(body);
  BIANMIN_ASSIGN(store::Statement st, s.db().prepare(
      "INSERT INTO complaints(id, about, sealed_body, client_id, at) VALUES(?, ?, ?, ?, ?)"));
  st.bind(1, id).bind(2, in.about).bind_blob(3, s.sealer().seal(plain, "complaint:" + id))
      .bind_opt(4, in.client_id).bind(5, at);
  secure_wipe(plain);
  BIANMIN_TRY(st.run());
  return id;
}

Result<std::vector<OutgoingFeedback>> FeedbackOutbox::due(time::TimePoint now, int64_t limit) {
  std::vector<OutgoingFeedback> out;
  const std::string stamp = utc_stamp(now);
  {
    BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
        "SELECT id, client_id, item_code, level, tags, sealed_comment, at FROM ratings WHERE state = 'queued' "
        "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY at, rowid LIMIT ?"));
    st.bind(1, stamp).bind(2, limit);
    for (;;) {
      BIANMIN_ASSIGN(bool row, st.step());
      if (!row) break;
      const std::string id = st.text(0);
      json tags = json::parse(st.text(4), nullptr, false);
      json body = {{"id", id}, {"level", st.integer(3)}, {"tags", tags.is_array() ? tags : json::array()},
                   {"at", st.text(6)}};
      if (!st.is_null(1)) body["client_id"] = st.text(1);
      if (!st.is_null(2)) body["item_code"] = st.text(2);
      if (!st.is_null(5)) {
        BIANMIN_ASSIGN(std::string comment, store_.sealer().open(st.blob(5), "rating:" + id));
        body["comment"] = comment;
        secure_wipe(comment);
      }
      out.push_back({"rating", id, audit::canonical_json(body)});
    }
  }
  {
    BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
        "SELECT id, sealed_body FROM complaints WHERE state = 'queued' "
        "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY at, rowid LIMIT ?"));
    st.bind(1, stamp).bind(2, limit);
    for (;;) {
      BIANMIN_ASSIGN(bool row, st.step());
      if (!row) break;
      const std::string id = st.text(0);
      BIANMIN_ASSIGN(std::string body, store_.sealer().open(st.blob(1), "complaint:" + id));
      out.push_back({"complaint", id, std::move(body)});
    }
  }
  return out;
}

Status FeedbackOutbox::mark_delivered(const std::string& kind, const std::string& id) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "UPDATE " + table_of(kind) + " SET state = 'delivered', next_attempt_at = NULL, last_error = NULL WHERE id = ?"));
  st.bind(1, id);
  return st.run();
}

Status FeedbackOutbox::quarantine(const std::string& kind, const std::string& id, const std::string& reason) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "UPDATE " + table_of(kind) + " SET state = 'quarantined', attempts = attempts + 1, last_error = ? WHERE id = ?"));
  st.bind(1, reason).bind(2, id);
  return st.run();
}

Status FeedbackOutbox::schedule_retry(const std::string& kind, const std::string& id, time::TimePoint next,
                                      const std::string& error) {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "UPDATE " + table_of(kind) + " SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?"));
  st.bind(1, utc_stamp(next)).bind(2, error).bind(3, id);
  return st.run();
}

Result<int64_t> FeedbackOutbox::pending() {
  BIANMIN_ASSIGN(store::Statement st, store_.db().prepare(
      "SELECT (SELECT COUNT(*) FROM ratings WHERE state = 'queued') + "
      "(SELECT COUNT(*) FROM complaints WHERE state = 'queued')"));
  BIANMIN_ASSIGN(bool row, st.step());
  return row ? st.integer(0) : int64_t{0};
}

}  // namespace bianmin::outbox
