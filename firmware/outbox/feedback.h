// Ratings (好差评) and complaints, stored first and delivered by the sync
// daemon like applications: the exact request body is fixed when the row is
// written (canonical JSON), so every retry sends the same bytes under the
// same Idempotency-Key (the row's id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace bianmin::store { class Store; }

namespace bianmin::outbox {

struct RatingInput {
  std::optional<std::string> client_id, item_code;
  int level = 5;  // 1 非常不满意 … 5 非常满意
  std::vector<std::string> tags;
  std::string comment;  // resident text: sealed at rest
};

struct ComplaintInput {
  std::string about = "service";  // service | staff | fee | other
  std::string text;
  std::optional<std::string> contact_phone, client_id;
};

// Both return the new id (a UUIDv7). "validation_failed" on bad input.
Result<std::string> add_rating(store::Store& s, const RatingInput& in);
Result<std::string> add_complaint(store::Store& s, const ComplaintInput& in);

struct OutgoingFeedback {
  std::string kind;  // "rating" | "complaint"
  std::string id;
  std::string body;  // the exact request body; callers wipe it
};

class FeedbackOutbox {
 public:
  explicit FeedbackOutbox(store::Store& s) : store_(s) {}
  // Queued rows whose next attempt is due, oldest first, bodies unsealed.
  Result<std::vector<OutgoingFeedback>> due(time::TimePoint now, int64_t limit);
  Status mark_delivered(const std::string& kind, const std::string& id);
  Status quarantine(const std::string& kind, const std::string& id, const std::string& reason);
  Status schedule_retry(const std::string& kind, const std::string& id, time::TimePoint next,
                        const std::string& error);
  Result<int64_t> pending();

 private:
  store::Store& store_;
};

}  // namespace bianmin::outbox
