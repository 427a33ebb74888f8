// The published lists as the central serves them (spec: Catalogue).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bianmin::catalog {

enum class Category {
  licensing, non_licensing_approval, penalty, enforcement, levy, benefit,
  adjudication, confirmation, reward, supervision, other, public_service,
};
constexpr int kCategoryCount = 12;

std::optional<Category> parse_category(std::string_view s);
const char* category_key(Category c);   // "licensing"
const char* category_zh(Category c);    // "行政许可"

enum class Level { province, city, county, township };
std::optional<Level> parse_level(std::string_view s);
const char* level_key(Level l);

struct LegalBasis {
  std::string title, article, text;
};

enum class MaterialForm { original, copy, original_and_copy, electronic };
std::optional<MaterialForm> parse_material_form(std::string_view s);
const char* material_form_key(MaterialForm f);

struct Material {
  std::string id, name;
  bool required = false;
  MaterialForm form = MaterialForm::original;
  int copies = 1;
  std::string note;
  std::string e_license_type;  // empty when none
};

struct Fee {
  bool free = true;
  std::string standard, basis;
};

struct ProcessStep {
  std::string step, role;
  int days = 0;
};

enum class FieldType { text, multiline, number, date, phone, id_number, select };
std::optional<FieldType> parse_field_type(std::string_view s);
const char* field_type_key(FieldType t);

struct Field {
  std::string key, label;
  FieldType type = FieldType::text;
  bool required = false;
  std::vector<std::string> options;
  std::string prefill;  // "applicant.name" … or empty
  int max_length = 0;   // 0: no limit given
};

struct Responsibility {
  std::string matter, accountability;
};

struct Item {
  std::string code, name;
  Category category = Category::other;
  std::string implementing_body, handling_unit;
  Level level = Level::county;
  std::vector<LegalBasis> legal_basis;
  std::vector<std::string> conditions;
  std::vector<Material> materials;
  int statutory_days = 0, promised_days = 0;
  Fee fee;
  std::vector<ProcessStep> process;
  std::string consult_phone, supervise_phone;
  bool kiosk_submittable = false;
  std::vector<Field> form;
  std::vector<Responsibility> responsibilities;

  const Field* field(std::string_view key) const;
  const Material* material(std::string_view id) const;
};

enum class FundKind { department_budget, transfer_payment };

struct Fund {
  int year = 0;
  std::string department, project;
  FundKind kind = FundKind::department_budget;
  int64_t amount_fen = 0;
};

struct Catalog {
  std::string version, region_code;
  std::vector<Item> items;
  std::vector<Fund> special_funds;

  const Item* find(std::string_view code) const;
};

}  // namespace bianmin::catalog
