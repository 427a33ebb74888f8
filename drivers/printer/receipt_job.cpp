#include "printer/receipt_job.h"

#include <nlohmann/json.hpp>

#include <map>

#include "access/clerk_accounts.h"
#include "base/bytes.h"
#include "catalog/catalog_store.h"
#include "config/config.h"
#include "domain/masking.h"
#include "outbox/application_store.h"
#include "outbox/receipt_token.h"
#include "store/enrolled_settings.h"
#include "store/store.h"

namespace bianmin::drivers::printer {
namespace {

struct BodySummary {
  std::string name_masked = "*", id_masked = "*";
  std::string clerk_id;  // channel "window" only
};

// Name and ID number of the applicant, masked, and the accepting clerk;
// the unsealed body and every copy of the full values are wiped before
// returning.
Result<BodySummary> summarise_body(outbox::ApplicationStore& apps, const std::string& client_id) {
  BIANMIN_ASSIGN(std::string body, apps.request_body(client_id));
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  secure_wipe(body);
  if (j.is_discarded() || !j.is_object()) return make_error("store_corrupt", "application body is not JSON");
  BodySummary out;
  if (auto a = j.find("applicant"); a != j.end() && a->is_object()) {
    for (auto& [key, v] : a->items()) {
      if (!v.is_string()) continue;
      auto& s = v.get_ref<std::string&>();
      if (key == "name") out.name_masked = domain::mask_name(s);
      if (key == "id_number") out.id_masked = domain::mask_id_number(s);
    }
  }
  if (auto c = j.find("clerk_id"); c != j.end() && c->is_string() && j.value("channel", "") == "window")
    out.clerk_id = c->get<std::string>();
  // Personal data anywhere in the body (applicant, form values) is wiped.
  std::vector<nlohmann::json*> stack{&j};
  while (!stack.empty()) {
    nlohmann::json* n = stack.back();
    stack.pop_back();
    if (n->is_string()) secure_wipe(n->get_ref<std::string&>());
    else if (n->is_structured())
      for (auto& c : *n) stack.push_back(&c);
  }
  return out;
}

}  // namespace

Result<ReceiptSource> load_receipt(store::Store& s, const config::Config& cfg, const std::string& id) {
  outbox::ApplicationStore apps(s);
  BIANMIN_ASSIGN(auto rec, apps.get(id));
  if (!rec) return make_error("not_found", "no application " + id);
  ReceiptSource out;
  out.client_id = rec->client_id;
  out.receipt_state = rec->receipt_state;
  ReceiptData& d = out.data;
  BIANMIN_ASSIGN(auto summary, summarise_body(apps, rec->client_id));
  d.applicant_masked = summary.name_masked;
  d.id_masked = summary.id_masked;
  if (!summary.clerk_id.empty()) {
    // The clerk's name as provisioned; the number alone if the clerk has
    // been removed since.
    BIANMIN_ASSIGN(auto name, access::ClerkAccounts(s).name_of(summary.clerk_id));
    d.accepted_by = name ? *name + "（" + summary.clerk_id + "）" : summary.clerk_id;
  }
  d.item_name = rec->item_name;
  d.receipt_no = rec->receipt_no;
  d.submitted_at = rec->submitted_at;
  d.promised_days = rec->promised_days;
  d.deadline = rec->deadline;
  d.reprint = rec->receipt_state == "printed";

  BIANMIN_ASSIGN(d.hall_name, store::enrolled_or_configured(s, cfg, "terminal.hall_name"));
  BIANMIN_ASSIGN(const std::string url_template, store::enrolled_or_configured(s, cfg, "receipt.query_url"));
  const std::string token = outbox::receipt_token(s.sealer(), rec->client_id);
  d.query_url = outbox::receipt_query_url(url_template, rec->receipt_no, token);

  // Material names and phones come from the catalogue; a receipt still
  // prints (with material ids) if the item has left the catalogue since.
  const catalog::Item* item = nullptr;
  auto active = catalog::CatalogStore(s.db()).load_active();
  if (active) item = active->catalog.find(rec->item_code);
  if (item) {
    d.consult_phone = item->consult_phone;
    d.supervise_phone = item->supervise_phone;
  }
  std::vector<std::string> order;
  std::map<std::string, int64_t> pages;
  for (const auto& b : rec->blobs) {
    if (!pages.count(b.material_id)) order.push_back(b.material_id);
    pages[b.material_id] += b.pages;
  }
  for (const auto& mid : order) {
    const catalog::Material* m = item ? item->material(mid) : nullptr;
    d.materials.push_back({m ? m->name : mid, pages[mid]});
  }
  return out;
}

Result<std::vector<std::string>> pending_receipts(store::Store& s) {
  BIANMIN_ASSIGN(auto st, s.db().prepare(
      "SELECT client_id FROM applications WHERE receipt_state = 'pending' AND sealed_body IS NOT NULL "
      "ORDER BY submitted_at, rowid"));
  std::vector<std::string> out;
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(st.text(0));
  }
  return out;
}

Status mark_receipt_printed(store::Store& s, const std::string& client_id) {
  BIANMIN_ASSIGN(auto st, s.db().prepare("UPDATE applications SET receipt_state = 'printed' WHERE client_id = ?"));
  st.bind(1, client_id);
  return st.run();
}

}  // namespace bianmin::drivers::printer
