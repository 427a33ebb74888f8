// Reading and updating stored applications (the outbox).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace bianmin::store { class Store; }

namespace bianmin::outbox {

struct StoredBlob {
  std::string material_id;
  int64_t seq = 0;
  std::string sha256;
  int64_t bytes = 0;
  std::string mime;
  int64_t pages = 1;
  bool uploaded = false;
};

struct ApplicationRecord {
  std::string client_id, receipt_no, item_code, item_name, channel, submitted_at;
  std::optional<int64_t> promised_days;
  std::string state;  // queued | delivered | quarantined | discarded
  int64_t attempts = 0;
  std::optional<std::string> next_attempt_at, last_error, quarantine_reason;
  std::optional<std::string> case_no, central_status, deadline, delivered_at;
  std::string receipt_state;  // pending | printed
  bool purged = false;
  std::vector<StoredBlob> blobs;
};

struct ListFilter {
  std::optional<std::string> state;
  int64_t limit = 1000;
};

class ApplicationStore {
 public:
  explicit ApplicationStore(store::Store& s) : store_(s) {}

  Result<std::vector<ApplicationRecord>> list(const ListFilter& f);
  // By client_id or receipt number.
  Result<std::optional<ApplicationRecord>> get(const std::string& id_or_receipt);
  // The exact request body for the central, unsealed. Callers wipe it.
  Result<std::string> request_body(const std::string& client_id);
  Result<int64_t> count(const std::string& state);

 private:
  Result<std::vector<StoredBlob>> blobs_of(const std::string& client_id);
  store::Store& store_;
};

}  // namespace bianmin::outbox
