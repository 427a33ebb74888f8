// Submitting an application: validate it against its catalogue item, store
// the materials as sealed blobs, then commit the application, its receipt
// number and its audit entry in one synchronous=FULL transaction. When
// submit() returns success the application survives a power cut and will be
// delivered by the sync daemon; before that, nothing was promised.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "catalog/model.h"
#include "domain/application.h"

namespace bianmin::store { class Store; }

namespace bianmin::outbox {

struct MaterialFile {
  std::string material_id;
  std::string bytes;  // the scanned page or document
  std::string mime = "image/jpeg";
  int pages = 1;
};

struct SubmitRequest {
  domain::ApplicationDraft draft;
  std::vector<MaterialFile> materials;
};

struct Submitted {
  std::string client_id;
  std::string receipt_no;
  std::string submitted_at;
};

class SubmitService {
 public:
  // `terminal_code` prefixes receipt numbers (K03 → K03-20261122-0042).
  SubmitService(store::Store& store, std::string terminal_code)
      : store_(store), terminal_code_(std::move(terminal_code)) {}

  // Errors: "validation_failed" (message lists every issue; see
  // domain::validate for the structured list), "disk_full", store errors.
  Result<Submitted> submit(SubmitRequest& request);

 private:
  store::Store& store_;
  std::string terminal_code_;
};

// "{code}-{YYYYMMDD}-{NNNN}"; widens past 9999 rather than wrapping.
std::string format_receipt_no(const std::string& code, const std::string& yyyymmdd, int64_t seq);

}  // namespace bianmin::outbox
