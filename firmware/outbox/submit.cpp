#include "outbox/submit.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "audit/audit_log.h"
#include "audit/jcs.h"
#include "base/bytes.h"
#include "base/log.h"
#include "base/time.h"
#include "base/uuid.h"
#include "domain/masking.h"
#include "outbox/receipt_token.h"
#include "store/store.h"

namespace bianmin::outbox {

using json = nlohmann::json;

std::string format_receipt_no(const std::string& code, const std::string& day, int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(seq));
  return code + "-" + day + "-" + buf;
}

namespace {

Result<int64_t> next_counter(store::Database& db, const std::string& name) {
  BIANMIN_ASSIGN(store::Statement st, db.prepare(
      "INSERT INTO counters(name, value) VALUES(?, 1) "
      "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value"));
  st.bind(1, name);
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return make_error("db_error", "counter did not return a value");
  int64_t v = st.integer(0);
  BIANMIN_TRY(st.run());
  return v;
}

json applicant_json(const domain::Applicant& a) {
  json j = {{"name", a.name}, {"id_type", a.id_type}, {"id_number", a.id_number}, {"phone", a.phone},
            {"verified_by", a.verified_by}};
  if (!a.sex.empty()) j["sex"] = a.sex;
  if (!a.birth_date.empty()) j["birth_date"] = a.birth_date;
  if (!a.address.empty()) j["address"] = a.address;
  return j;
}

}  // namespace

Result<Submitted> SubmitService::submit(SubmitRequest& req) {
  domain::ApplicationDraft& d = req.draft;
  if (d.item) domain::apply_prefill(*d.item, d.applicant, d.form);
  d.material_ids.clear();
  for (const auto& m : req.materials) d.material_ids.push_back(m.material_id);
  if (auto issues = domain::validate(d); !issues.empty())
    return make_error("validation_failed", domain::describe(issues));
  for (const auto& m : req.materials)
    if (m.bytes.empty()) return make_error("validation_failed", "materials." + m.material_id + ": empty: 材料文件为空 / the material file is empty");
  BIANMIN_TRY(store_.check_free_space());

  const catalog::Item& item = *d.item;
  Submitted out;
  out.client_id = make_uuid_v7();
  const auto now = time::Clock::now();
  out.submitted_at = time::format_rfc3339(now);

  // Blobs first, durably, under the shared lock that keeps recovery from
  // taking them for orphans until the row below is committed.
  BIANMIN_ASSIGN(auto lock, store_.blobs().lock_shared());
  struct Written {
    const MaterialFile* file;
    store::BlobRef ref;
  };
  std::vector<Written> written;
  for (const auto& m : req.materials) {
    BIANMIN_ASSIGN(store::BlobRef ref, store_.blobs().put(m.bytes));
    written.push_back({&m, ref});
  }

  // Materials in the item's order, pages of one material in scan order.
  json materials = json::array();
  for (const auto& spec : item.materials) {
    json blobs = json::array();
    for (const auto& w : written)
      if (w.file->material_id == spec.id)
        blobs.push_back({{"sha256", w.ref.sha256}, {"mime", w.file->mime}, {"bytes", w.ref.bytes}, {"pages", w.file->pages}});
    if (!blobs.empty()) materials.push_back({{"material_id", spec.id}, {"blobs", blobs}});
  }

  auto result = store_.db().transaction([&]() -> Result<Submitted> {
    const std::string day = time::local_date_compact(now);
    BIANMIN_ASSIGN(int64_t seq, next_counter(store_.db(), "receipt:" + terminal_code_ + ":" + day));
    out.receipt_no = format_receipt_no(terminal_code_, day, seq);

    json body = {{"client_id", out.client_id}, {"receipt_no", out.receipt_no}, {"item_code", item.code},
                 {"channel", domain::channel_key(d.channel)}, {"submitted_at", out.submitted_at},
                 {"applicant", applicant_json(d.applicant)}, {"form", d.form}, {"materials", materials}};
    if (d.channel == domain::Channel::window) body["clerk_id"] = d.clerk_id;
    // The central learns the receipt's token only from here (receipt_token.h).
    body["receipt_token"] = receipt_token(store_.sealer(), out.client_id);
    std::string plain = audit::canonical_json(body);
    std::string sealed = store_.sealer().seal(plain, "application:" + out.client_id);
    secure_wipe(plain);

    BIANMIN_ASSIGN(store::Statement blob_ins, store_.db().prepare(
        "INSERT INTO blobs(sha256, bytes, mime, stored_at) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(sha256) DO UPDATE SET purged_at = NULL"));
    for (const auto& w : written) {
      blob_ins.bind(1, w.ref.sha256).bind(2, w.ref.bytes).bind(3, w.file->mime).bind(4, out.submitted_at);
      BIANMIN_TRY(blob_ins.run());
      blob_ins.reset();
    }
    BIANMIN_ASSIGN(store::Statement app, store_.db().prepare(
        "INSERT INTO applications(client_id, receipt_no, item_code, item_name, channel, submitted_at, "
        "promised_days, sealed_body) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
    app.bind(1, out.client_id).bind(2, out.receipt_no).bind(3, item.code).bind(4, item.name)
        .bind(5, domain::channel_key(d.channel)).bind(6, out.submitted_at).bind(7, item.promised_days)
        .bind_blob(8, sealed);
    BIANMIN_TRY(app.run());
    BIANMIN_ASSIGN(store::Statement mat, store_.db().prepare(
        "INSERT INTO application_materials(client_id, material_id, seq, sha256, pages) VALUES(?, ?, ?, ?, ?)"));
    int64_t seq_in_material = 0;
    std::string last_material;
    for (const auto& w : written) {
      seq_in_material = w.file->material_id == last_material ? seq_in_material + 1 : 1;
      last_material = w.file->material_id;
      mat.bind(1, out.client_id).bind(2, w.file->material_id).bind(3, seq_in_material)
          .bind(4, w.ref.sha256).bind(5, w.file->pages);
      BIANMIN_TRY(mat.run());
      mat.reset();
    }
    audit::AuditLog audit_log(store_.db(), store_.sealer());
    BIANMIN_TRY(audit_log.append(audit::kSubmission,
                                 {{"client_id", out.client_id}, {"receipt_no", out.receipt_no},
                                  {"item_code", item.code}, {"channel", domain::channel_key(d.channel)},
                                  {"applicant", domain::mask_name(d.applicant.name)},
                                  {"id_number", domain::mask_id_number(d.applicant.id_number)},
                                  {"materials", static_cast<int64_t>(written.size())}}));
    return out;
  });
  if (!result) {
    log::error("outbox", "submit failed; nothing was queued", {{"error", result.error().message}});
    return result;
  }
  log::info("outbox", "application queued",
            {{"client_id", out.client_id}, {"receipt_no", out.receipt_no}, {"item", item.code},
             {"applicant", domain::mask_name(d.applicant.name)}});
  return result;
}

}  // namespace bianmin::outbox
