// Receipts of stored applications: what the slip says (from the sealed
// application, the catalogue and the settings), and the bookkeeping that
// makes sure no receipt is silently lost: applications.receipt_state stays
// 'pending' until a print has succeeded, and pending receipts are printed
// again on request (`bianmin print receipt` / `bianmin print pending`).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "printer/slips.h"

namespace bianmin::store { class Store; }
namespace bianmin::config { class Config; }

namespace bianmin::drivers::printer {

struct ReceiptSource {
  std::string client_id;
  std::string receipt_state;  // pending | printed
  ReceiptData data;
};

// By client_id or receipt number. Errors: "not_found", "purged" (the
// application's personal data is gone after retention).
Result<ReceiptSource> load_receipt(store::Store& s, const config::Config& cfg, const std::string& id_or_receipt);
// client_ids whose receipt has not been printed, oldest first.
Result<std::vector<std::string>> pending_receipts(store::Store& s);
Status mark_receipt_printed(store::Store& s, const std::string& client_id);

}  // namespace bianmin::drivers::printer
