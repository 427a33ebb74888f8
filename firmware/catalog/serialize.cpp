#include "catalog/serialize.h"

namespace bianmin::catalog {

using json = nlohmann::json;

json to_json(const Item& it) {
  json j = summary_json(it);
  j.erase("category_zh");
  j["handling_unit"] = it.handling_unit;
  j["statutory_days"] = it.statutory_days;
  j["legal_basis"] = json::array();
  for (const auto& b : it.legal_basis) j["legal_basis"].push_back({{"title", b.title}, {"article", b.article}, {"text", b.text}});
  j["conditions"] = it.conditions;
  j["materials"] = json::array();
  for (const auto& m : it.materials) {
    json mj = {{"id", m.id}, {"name", m.name}, {"required", m.required}, {"form", material_form_key(m.form)},
               {"copies", m.copies}, {"note", m.note}};
    if (!m.e_license_type.empty()) mj["e_license_type"] = m.e_license_type;
    j["materials"].push_back(mj);
  }
  j["fee"] = {{"free", it.fee.free}, {"standard", it.fee.standard}, {"basis", it.fee.basis}};
  j["process"] = json::array();
  for (const auto& p : it.process) j["process"].push_back({{"step", p.step}, {"role", p.role}, {"days", p.days}});
  j["consult_phone"] = it.consult_phone;
  j["supervise_phone"] = it.supervise_phone;
  j["form"] = json::array();
  for (const auto& f : it.form) {
    json fj = {{"key", f.key}, {"label", f.label}, {"type", field_type_key(f.type)}, {"required", f.required}};
    if (!f.options.empty()) fj["options"] = f.options;
    if (!f.prefill.empty()) fj["prefill"] = f.prefill;
    if (f.max_length > 0) fj["max_length"] = f.max_length;
    j["form"].push_back(fj);
  }
  j["responsibilities"] = json::array();
  for (const auto& r : it.responsibilities)
    j["responsibilities"].push_back({{"matter", r.matter}, {"accountability", r.accountability}});
  return j;
}

json to_json(const Fund& f) {
  return {{"year", f.year}, {"department", f.department}, {"project", f.project},
          {"kind", f.kind == FundKind::transfer_payment ? "transfer_payment" : "department_budget"},
          {"amount_fen", f.amount_fen}};
}

json summary_json(const Item& it) {
  return {{"code", it.code}, {"name", it.name}, {"category", category_key(it.category)},
          {"category_zh", category_zh(it.category)}, {"implementing_body", it.implementing_body},
          {"level", level_key(it.level)}, {"promised_days", it.promised_days},
          {"kiosk_submittable", it.kiosk_submittable}};
}

}  // namespace bianmin::catalog
