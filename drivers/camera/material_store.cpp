#include "camera/material_store.h"

#include "base/log.h"
#include "base/time.h"
#include "catalog/catalog_store.h"

namespace bianmin::drivers::camera {

Result<AddedPage> add_material_page(store::Store& st, const std::string& application, const std::string& material_id,
                                    const std::string& bytes, const std::string& mime) {
  if (material_id.empty() || material_id.size() > 64)
    return make_error("input_invalid", "--material: a material ID of 1–64 characters");
  if (bytes.empty()) return make_error("input_invalid", "empty page");
  std::string client_id, item_code, state;
  {
    BIANMIN_ASSIGN(store::Statement q, st.db().prepare(
        "SELECT client_id, item_code, state FROM applications WHERE client_id = ? OR receipt_no = ?"));
    q.bind(1, application).bind(2, application);
    BIANMIN_ASSIGN(bool row, q.step());
    if (!row) return make_error("not_found", "no application " + application);
    client_id = q.text(0);
    item_code = q.text(1);
    state = q.text(2);
  }
  if (state != "queued")
    return make_error("not_queued", "application " + application + " is " + state +
                                        "; pages can only be added while it is queued");
  // The item's material list, when the active catalogue has the item.
  catalog::CatalogStore cat(st.db());
  if (auto active = cat.load_active(); active) {
    if (const catalog::Item* item = active->catalog.find(item_code)) {
      bool known = false;
      for (const auto& m : item->materials) known = known || m.id == material_id;
      if (!known) return make_error("input_invalid", "material " + material_id + " is not one of item " + item_code + "'s materials");
    }
  }
  BIANMIN_TRY(st.check_free_space());
  BIANMIN_ASSIGN(auto lock, st.blobs().lock_shared());
  BIANMIN_ASSIGN(store::BlobRef ref, st.blobs().put(bytes));
  const std::string now = time::format_rfc3339(time::Clock::now());
  AddedPage out;
  out.sha256 = ref.sha256;
  out.bytes = ref.bytes;
  BIANMIN_TRY(st.db().transaction([&]() -> Status {
    // Re-check inside the transaction: the sync daemon may have delivered it.
    BIANMIN_ASSIGN(store::Statement q, st.db().prepare("SELECT state FROM applications WHERE client_id = ?"));
    q.bind(1, client_id);
    BIANMIN_ASSIGN(bool row, q.step());
    if (!row || q.text(0) != "queued") return make_error("not_queued", "application " + application + " is no longer queued");
    BIANMIN_ASSIGN(store::Statement b, st.db().prepare(
        "INSERT INTO blobs(sha256, bytes, mime, stored_at) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(sha256) DO UPDATE SET purged_at = NULL"));
    b.bind(1, ref.sha256).bind(2, ref.bytes).bind(3, mime).bind(4, now);
    BIANMIN_TRY(b.run());
    BIANMIN_ASSIGN(store::Statement s, st.db().prepare(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM application_materials WHERE client_id = ? AND material_id = ?"));
    s.bind(1, client_id).bind(2, material_id);
    BIANMIN_ASSIGN(bool r2, s.step());
    out.seq = r2 ? s.integer(0) : 1;
    BIANMIN_ASSIGN(store::Statement m, st.db().prepare(
        "INSERT INTO application_materials(client_id, material_id, seq, sha256, pages) VALUES(?, ?, ?, ?, 1)"));
    m.bind(1, client_id).bind(2, material_id).bind(3, out.seq).bind(4, ref.sha256);
    BIANMIN_TRY(m.run());
    return {};
  }));
  log::info("camera", "page added to application",
            {{"client_id", client_id}, {"material", material_id}, {"seq", out.seq}, {"bytes", out.bytes}});
  return out;
}

}  // namespace bianmin::drivers::camera
