#include "domain/application.h"

#include <nlohmann/json.hpp>

#include <set>

#include "base/bytes.h"
#include "base/json_input.h"
#include "base/time.h"
#include "domain/id_number.h"

namespace bianmin::domain {
namespace {

using json = nlohmann::json;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool is_decimal(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) return all_digits(s);
  return all_digits(s.substr(0, dot)) && all_digits(s.substr(dot + 1));
}

bool has_control(std::string_view s, bool allow_newline) {
  for (unsigned char c : s) {
    if (c == '\n' && allow_newline) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Result<json> parse_object(std::string_view text, const char* what) {
  if (!is_valid_utf8(text)) return make_error("input_invalid", std::string(what) + " is not valid UTF-8");
  auto j = parse_json(text);
  if (!j) return make_error("input_invalid", std::string(what) + ": " + j.error().message);
  if (!j->is_object()) return make_error("input_invalid", std::string(what) + " must be a JSON object");
  return std::move(j).value();
}

void issue(std::vector<ValidationIssue>& out, std::string field, std::string rule, std::string zh, std::string en) {
  out.push_back({std::move(field), std::move(rule), std::move(zh), std::move(en)});
}

void check_id(std::vector<ValidationIssue>& out, const std::string& field, std::string_view id) {
  switch (check_id_number(id)) {
    case IdNumberProblem::none: return;
    case IdNumberProblem::wrong_length:
      return issue(out, field, "id_length", "身份号码应为18位", "identity number must have 18 characters");
    case IdNumberProblem::not_digits:
      return issue(out, field, "id_format", "身份号码应为17位数字加校验码（数字或X）",
                   "identity number must be 17 digits and a check character (digit or X)");
    case IdNumberProblem::bad_birth_date:
      return issue(out, field, "id_birth_date", "身份号码中的出生日期无效",
                   "the birth date inside the identity number is not a real date");
    case IdNumberProblem::bad_check_digit:
      return issue(out, field, "id_check_digit", "身份号码校验码不正确，请核对",
                   "the identity number's check digit is wrong (MOD 11-2)");
  }
}

}  // namespace

void Applicant::wipe() {
  for (std::string* s : {&name, &id_type, &id_number, &sex, &birth_date, &address, &phone, &verified_by})
    secure_wipe(*s);
}

const char* channel_key(Channel c) { return c == Channel::window ? "window" : "kiosk"; }

Result<Applicant> parse_applicant_json(std::string_view text) {
  BIANMIN_ASSIGN(json j, parse_object(text, "applicant"));
  Applicant a;
  const std::map<std::string, std::string*> fields = {
      {"name", &a.name},       {"id_type", &a.id_type}, {"id_number", &a.id_number},
      {"sex", &a.sex},         {"birth_date", &a.birth_date}, {"address", &a.address},
      {"phone", &a.phone},     {"verified_by", &a.verified_by}};
  for (auto& [key, value] : j.items()) {
    auto it = fields.find(key);
    if (it == fields.end()) return make_error("input_invalid", "applicant: unknown field \"" + key + "\"");
    if (value.is_null()) continue;
    if (!value.is_string()) return make_error("input_invalid", "applicant." + key + " must be a string");
    *it->second = value.get<std::string>();
  }
  a.id_number = normalize_id_number(a.id_number);
  return a;
}

Result<FormValues> parse_form_json(std::string_view text) {
  BIANMIN_ASSIGN(json j, parse_object(text, "form"));
  FormValues out;
  for (auto& [key, value] : j.items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
    else if (value.is_number_integer() || value.is_number_float()) out[key] = value.dump();
    else if (value.is_null()) continue;
    else return make_error("input_invalid", "form." + key + " must be a string or a number");
  }
  return out;
}

void apply_prefill(const catalog::Item& item, const Applicant& a, FormValues& form) {
  for (const auto& f : item.form) {
    if (f.prefill.empty() || !form[f.key].empty()) continue;
    const std::string& v = f.prefill == "applicant.name"         ? a.name
                           : f.prefill == "applicant.id_number"  ? a.id_number
                           : f.prefill == "applicant.address"    ? a.address
                           : f.prefill == "applicant.birth_date" ? a.birth_date
                                                                 : a.sex;
    form[f.key] = v;
  }
  for (auto it = form.begin(); it != form.end();) it = it->second.empty() ? form.erase(it) : std::next(it);
}

bool is_mobile_number(std::string_view s) {
  return s.size() == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s);
}

bool is_phone_number(std::string_view s) {
  if (is_mobile_number(s)) return true;
  // Landline: area code 0xx or 0xxx, optional dash, 7 or 8 digits; or a
  // short service number such as 12345.
  const auto dash = s.find('-');
  if (dash != std::string_view::npos) {
    auto area = s.substr(0, dash), local = s.substr(dash + 1);
    return area.size() >= 3 && area.size() <= 4 && area[0] == '0' && all_digits(area) &&
           local.size() >= 7 && local.size() <= 8 && all_digits(local);
  }
  return all_digits(s) && ((s[0] == '0' && s.size() >= 10 && s.size() <= 12) || (s.size() == 5 && s[0] == '1'));
}

std::vector<ValidationIssue> validate(const ApplicationDraft& d) {
  std::vector<ValidationIssue> out;
  if (!d.item) {
    issue(out, "item", "unknown_item", "未找到该事项", "no such item in the catalogue");
    return out;
  }
  const catalog::Item& item = *d.item;
  if (d.channel == Channel::kiosk && !item.kiosk_submittable)
    issue(out, "item", "not_kiosk_submittable", "该事项请到窗口办理", "this item must be applied for at a counter");
  if (d.channel == Channel::window && d.clerk_id.empty())
    issue(out, "clerk_id", "required", "窗口受理须填写受理人员", "a counter application needs the clerk's id");

  // Applicant.
  const Applicant& a = d.applicant;
  if (a.name.empty()) issue(out, "applicant.name", "required", "请填写申请人姓名", "the applicant's name is required");
  else if (utf8_length(a.name) > 60 || has_control(a.name, false))
    issue(out, "applicant.name", "name_format", "姓名过长或含有无效字符", "the name is too long or has invalid characters");
  if (a.id_type != "resident" && a.id_type != "foreign_permanent" && a.id_type != "gat_residence")
    issue(out, "applicant.id_type", "id_type", "证件类型无效", "id_type must be resident, foreign_permanent or gat_residence");
  if (a.id_number.empty()) {
    issue(out, "applicant.id_number", "required", "请填写证件号码", "the identity number is required");
  } else if (a.id_type == "foreign_permanent" && is_foreign_permanent_2017(a.id_number)) {
    // 2017 card: 3 letters + 12 digits, no MOD 11-2 check digit.
  } else {
    check_id(out, "applicant.id_number", a.id_number);
  }
  if (!a.sex.empty() && a.sex != "男" && a.sex != "女")
    issue(out, "applicant.sex", "sex", "性别应为“男”或“女”", "sex must be 男 or 女");
  if (!a.birth_date.empty() && !time::is_valid_iso_date(a.birth_date))
    issue(out, "applicant.birth_date", "date_format", "出生日期应为YYYY-MM-DD格式", "birth_date must be YYYY-MM-DD");
  else if (!a.birth_date.empty() && a.id_type != "foreign_permanent" && a.id_number.size() == 18 &&
           birth_date_of(a.id_number) != a.birth_date && check_id_number(a.id_number) == IdNumberProblem::none)
    issue(out, "applicant.birth_date", "birth_date_mismatch", "出生日期与身份号码不一致",
          "birth_date does not match the identity number");
  if (a.phone.empty()) issue(out, "applicant.phone", "required", "请填写手机号码，以便接收办理结果", "a mobile number is required");
  else if (!is_mobile_number(a.phone))
    issue(out, "applicant.phone", "mobile_format", "手机号码格式不正确（应为11位，以1开头）",
          "not a valid mobile number (11 digits starting with 1)");
  if (utf8_length(a.address) > 200 || has_control(a.address, false))
    issue(out, "applicant.address", "text_format", "住址过长或含有无效字符", "the address is too long or has invalid characters");
  if (a.verified_by != "id_card_reader" && a.verified_by != "manual")
    issue(out, "applicant.verified_by", "verified_by", "核验方式无效", "verified_by must be id_card_reader or manual");

  // Form fields.
  for (const auto& [key, value] : d.form)
    if (!item.field(key)) issue(out, "form." + key, "unknown_field", "表单中没有此项", "the item's form has no such field");
  for (const auto& f : item.form) {
    const std::string name = "form." + f.key;
    auto it = d.form.find(f.key);
    const std::string v = it == d.form.end() ? std::string() : it->second;
    if (v.empty()) {
      if (f.required) issue(out, name, "required", "请填写“" + f.label + "”", f.label + " is required");
      continue;
    }
    if (!is_valid_utf8(v) || has_control(v, f.type == catalog::FieldType::multiline)) {
      issue(out, name, "text_format", "“" + f.label + "”含有无效字符", f.label + " has invalid characters");
      continue;
    }
    const std::size_t limit = f.max_length > 0 ? static_cast<std::size_t>(f.max_length)
                              : f.type == catalog::FieldType::multiline ? 2000 : 200;
    if (utf8_length(v) > limit)
      issue(out, name, "max_length", "“" + f.label + "”不能超过" + std::to_string(limit) + "个字",
            f.label + " must be at most " + std::to_string(limit) + " characters");
    switch (f.type) {
      case catalog::FieldType::number:
        if (!is_decimal(v)) issue(out, name, "number_format", "“" + f.label + "”应为数字", f.label + " must be a number");
        break;
      case catalog::FieldType::date:
        if (!time::is_valid_iso_date(v))
          issue(out, name, "date_format", "“" + f.label + "”应为YYYY-MM-DD格式的日期", f.label + " must be a date YYYY-MM-DD");
        break;
      case catalog::FieldType::phone:
        if (!is_phone_number(v))
          issue(out, name, "phone_format", "“" + f.label + "”不是有效的电话号码", f.label + " is not a valid phone number");
        break;
      case catalog::FieldType::id_number:
        check_id(out, name, v);
        break;
      case catalog::FieldType::select: {
        bool found = false;
        for (const auto& o : f.options) found = found || o == v;
        if (!found) issue(out, name, "select_option", "“" + f.label + "”的选项无效", f.label + " must be one of the listed options");
        break;
      }
      case catalog::FieldType::text:
      case catalog::FieldType::multiline:
        break;
    }
  }

  // Materials.
  std::set<std::string> given(d.material_ids.begin(), d.material_ids.end());
  for (const auto& id : given)
    if (!item.material(id)) issue(out, "materials." + id, "unknown_material", "该事项不需要此材料", "the item lists no such material");
  for (const auto& m : item.materials)
    if (m.required && !given.count(m.id))
      issue(out, "materials." + m.id, "required", "缺少必需材料：" + m.name, "required material missing: " + m.name);
  return out;
}

std::string describe(const std::vector<ValidationIssue>& issues) {
  std::string out;
  for (const auto& i : issues) {
    if (!out.empty()) out += "\n";
    out += i.field + ": " + i.rule + ": " + i.zh + " / " + i.en;
  }
  return out;
}

}  // namespace bianmin::domain
