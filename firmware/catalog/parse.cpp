#include "catalog/parse.h"

#include <nlohmann/json.hpp>

#include <set>

#include "base/bytes.h"
#include "base/json_input.h"

namespace bianmin::catalog {
namespace {

using json = nlohmann::json;

// Reads fields of one JSON object, remembering the first problem. Parsing
// code then reads straight down the field list without an `if` per field.
class ObjectReader {
 public:
  ObjectReader(const json& obj, std::string where) : obj_(obj), where_(std::move(where)) {
    if (!obj_.is_object()) fail("", "must be an object");
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  std::string str(const char* key, bool required = true) {
    const json* v = get(key, required);
    if (!v) return {};
    if (!v->is_string()) return fail(key, "must be a string"), std::string();
    return v->get<std::string>();
  }
  std::string nonempty_str(const char* key) {
    std::string s = str(key);
    if (ok() && s.empty()) fail(key, "must not be empty");
    return s;
  }
  int64_t integer(const char* key, bool required = true, int64_t min = 0, int64_t max = INT32_MAX) {
    const json* v = get(key, required);
    if (!v) return 0;
    if (!v->is_number_integer()) return fail(key, "must be an integer"), 0;
    const auto n = v->get<int64_t>();
    if (n < min || n > max) return fail(key, "is out of range"), 0;
    return n;
  }
  bool boolean(const char* key, bool required = true) {
    const json* v = get(key, required);
    if (!v) return false;
    if (!v->is_boolean()) return fail(key, "must be true or false"), false;
    return v->get<bool>();
  }
  const json* array(const char* key, bool required = true) {
    const json* v = get(key, required);
    if (v && !v->is_array()) return fail(key, "must be an array"), nullptr;
    return v;
  }
  const json* object(const char* key, bool required = true) {
    const json* v = get(key, required);
    if (v && !v->is_object()) return fail(key, "must be an object"), nullptr;
    return v;
  }
  std::vector<std::string> strings(const char* key, bool required = true) {
    std::vector<std::string> out;
    const json* a = array(key, required);
    if (!a) return out;
    for (const auto& e : *a) {
      if (!e.is_string()) return fail(key, "must contain only strings"), out;
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  template <class E>
  E enumerated(const char* key, std::optional<E> (*parse)(std::string_view), E fallback) {
    std::string s = str(key);
    if (!ok()) return fallback;
    auto e = parse(s);
    if (!e) return fail(key, "has unknown value \"" + s + "\""), fallback;
    return *e;
  }
  void fail(std::string_view key, const std::string& what) {
    if (!error_.empty()) return;
    error_ = where_;
    if (!key.empty()) error_ += std::string(where_.empty() ? "" : ".") + std::string(key);
    error_ += " " + what;
  }
  // Adopts the first error of a nested reader.
  void absorb(const ObjectReader& inner) {
    if (error_.empty() && !inner.ok()) error_ = inner.error();
  }

 private:
  const json* get(const char* key, bool required) {
    if (!ok() || !obj_.is_object()) return nullptr;
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) {
      if (required) fail(key, "is missing");
      return nullptr;
    }
    return &*it;
  }

  const json& obj_;
  std::string where_;
  std::string error_;
};

template <class T, class Fn>
std::vector<T> parse_list(ObjectReader& r, const char* key, bool required, Fn&& parse_one) {
  std::vector<T> out;
  const json* arr = r.array(key, required);
  if (!arr) return out;
  for (std::size_t i = 0; i < arr->size() && r.ok(); ++i) {
    ObjectReader sub((*arr)[i], std::string(key) + "[" + std::to_string(i) + "]");
    T v = parse_one(sub);
    r.absorb(sub);
    out.push_back(std::move(v));
  }
  return out;
}

Item parse_item(ObjectReader& r) {
  Item it;
  it.code = r.nonempty_str("code");
  it.name = r.nonempty_str("name");
  it.category = r.enumerated("category", parse_category, Category::other);
  it.implementing_body = r.nonempty_str("implementing_body");
  it.handling_unit = r.str("handling_unit", false);
  it.level = r.enumerated("level", parse_level, Level::county);
  it.legal_basis = parse_list<LegalBasis>(r, "legal_basis", false, [](ObjectReader& s) {
    return LegalBasis{s.str("title"), s.str("article", false), s.str("text", false)};
  });
  it.conditions = r.strings("conditions", false);
  it.materials = parse_list<Material>(r, "materials", true, [](ObjectReader& s) {
    Material m;
    m.id = s.nonempty_str("id");
    m.name = s.nonempty_str("name");
    m.required = s.boolean("required");
    m.form = s.enumerated("form", parse_material_form, MaterialForm::original);
    m.copies = static_cast<int>(s.integer("copies", false, 0, 1000));
    m.note = s.str("note", false);
    m.e_license_type = s.str("e_license_type", false);
    return m;
  });
  it.statutory_days = static_cast<int>(r.integer("statutory_days", true, 0, 3650));
  it.promised_days = static_cast<int>(r.integer("promised_days", true, 0, 3650));
  if (const json* fee = r.object("fee", false)) {
    ObjectReader f(*fee, "fee");
    it.fee.free = f.boolean("free");
    it.fee.standard = f.str("standard", false);
    it.fee.basis = f.str("basis", false);
    r.absorb(f);
  }
  it.process = parse_list<ProcessStep>(r, "process", false, [](ObjectReader& s) {
    return ProcessStep{s.nonempty_str("step"), s.str("role", false),
                       static_cast<int>(s.integer("days", false, 0, 3650))};
  });
  it.consult_phone = r.str("consult_phone", false);
  it.supervise_phone = r.str("supervise_phone", false);
  it.kiosk_submittable = r.boolean("kiosk_submittable");
  it.form = parse_list<Field>(r, "form", true, [](ObjectReader& s) {
    Field f;
    f.key = s.nonempty_str("key");
    f.label = s.nonempty_str("label");
    f.type = s.enumerated("type", parse_field_type, FieldType::text);
    f.required = s.boolean("required", false);
    f.options = s.strings("options", false);
    f.prefill = s.str("prefill", false);
    f.max_length = static_cast<int>(s.integer("max_length", false, 1, 100000));
    static const std::set<std::string> kPrefill = {"applicant.name", "applicant.id_number",
                                                   "applicant.address", "applicant.birth_date",
                                                   "applicant.sex"};
    if (s.ok() && !f.prefill.empty() && !kPrefill.count(f.prefill))
      s.fail("prefill", "has unknown value \"" + f.prefill + "\"");
    if (s.ok() && f.type == FieldType::select && f.options.empty())
      s.fail("options", "must list the choices of a select field");
    return f;
  });
  it.responsibilities = parse_list<Responsibility>(r, "responsibilities", false, [](ObjectReader& s) {
    return Responsibility{s.str("matter"), s.str("accountability", false)};
  });
  if (r.ok()) {
    std::set<std::string> keys, ids;
    for (const auto& f : it.form)
      if (!keys.insert(f.key).second) r.fail("form", "has duplicate key \"" + f.key + "\"");
    for (const auto& m : it.materials)
      if (!ids.insert(m.id).second) r.fail("materials", "has duplicate id \"" + m.id + "\"");
  }
  return it;
}

}  // namespace

Result<ParsedCatalog> parse_catalog(std::string_view text) {
  if (!is_valid_utf8(text)) return make_error("catalog_invalid", "catalogue is not valid UTF-8");
  auto parsed = parse_json(text);
  if (!parsed) return make_error("catalog_invalid", "catalogue: " + parsed.error().message);
  const json doc = std::move(parsed).value();
  ObjectReader top(doc, "");
  ParsedCatalog out;
  out.catalog.version = top.nonempty_str("version");
  out.catalog.region_code = top.str("region_code");
  const json* items = top.array("items");
  if (!top.ok()) return make_error("catalog_invalid", "catalogue: " + top.error());

  std::set<std::string> codes;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const json& node = (*items)[i];
    ObjectReader r(node, "");
    Item item = parse_item(r);
    if (r.ok() && !codes.insert(item.code).second) r.fail("code", "duplicates an earlier item");
    if (!r.ok()) {
      std::string code = node.is_object() && node.contains("code") && node["code"].is_string()
                             ? node["code"].get<std::string>() : "";
      out.skipped.push_back({i, code, "item " + std::to_string(i) + (code.empty() ? "" : " (" + code + ")") + ": " + r.error()});
      continue;
    }
    out.catalog.items.push_back(std::move(item));
  }
  if (out.catalog.items.empty())
    return make_error("catalog_invalid", "catalogue has no valid item (" +
                                             std::to_string(out.skipped.size()) + " skipped)" +
                                             (out.skipped.empty() ? "" : ": " + out.skipped[0].reason));
  if (const json* funds = top.array("special_funds", false)) {
    for (std::size_t i = 0; i < funds->size(); ++i) {
      ObjectReader r((*funds)[i], "special_funds[" + std::to_string(i) + "]");
      Fund f;
      f.year = static_cast<int>(r.integer("year", true, 1900, 9999));
      f.department = r.nonempty_str("department");
      f.project = r.nonempty_str("project");
      f.kind = r.enumerated<FundKind>("kind", [](std::string_view s) -> std::optional<FundKind> {
        if (s == "department_budget") return FundKind::department_budget;
        if (s == "transfer_payment") return FundKind::transfer_payment;
        return std::nullopt;
      }, FundKind::department_budget);
      f.amount_fen = r.integer("amount_fen", true, 0, INT64_MAX);
      if (!r.ok()) {
        out.skipped_funds.push_back(r.error());
        continue;
      }
      out.catalog.special_funds.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace bianmin::catalog
