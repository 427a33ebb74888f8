// An application (办件) as a resident or clerk fills it in, before it is
// stored: the applicant, the form values and which materials were scanned.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "catalog/model.h"

namespace bianmin::domain {

struct Applicant {
  std::string name;
  std::string id_type = "resident";  // resident | foreign_permanent | gat_residence
  std::string id_number;
  std::string sex;                   // 男 | 女
  std::string birth_date;            // YYYY-MM-DD
  std::string address;
  std::string phone;
  std::string verified_by = "manual";  // id_card_reader | manual

  // Overwrites every field's buffer (resident data must not linger).
  void wipe();
};

using FormValues = std::map<std::string, std::string>;

// Parses the applicant JSON of `bianmin submit --applicant` (the spec's
// "applicant" object). Unknown keys are refused so that a typo never
// silently drops a value.
Result<Applicant> parse_applicant_json(std::string_view text);
// Parses {"key": "value", …}; numbers are accepted and kept as written.
Result<FormValues> parse_form_json(std::string_view text);

enum class Channel { kiosk, window };
const char* channel_key(Channel c);

struct ValidationIssue {
  std::string field;  // "applicant.phone", "form.spouse_id", "materials.m2", "item"
  std::string rule;   // "required", "id_check_digit", "mobile_format", …
  std::string zh;
  std::string en;
};

// Fills empty form fields that declare a prefill from the applicant.
void apply_prefill(const catalog::Item& item, const Applicant& a, FormValues& form);

struct ApplicationDraft {
  const catalog::Item* item = nullptr;
  Channel channel = Channel::kiosk;
  Applicant applicant;
  FormValues form;
  std::vector<std::string> material_ids;  // one entry per scanned blob
  std::string clerk_id;
};

// Every problem at once, so a form can highlight all of them.
std::vector<ValidationIssue> validate(const ApplicationDraft& draft);

// One line per issue: "form.phone: mobile_format: 手机号码格式不正确 / not a valid mobile number".
std::string describe(const std::vector<ValidationIssue>& issues);

bool is_mobile_number(std::string_view s);
bool is_phone_number(std::string_view s);  // mobile or landline (0936-1234567)

}  // namespace bianmin::domain
