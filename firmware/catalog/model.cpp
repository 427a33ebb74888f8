#include "catalog/model.h"

#include <array>

namespace bianmin::catalog {
namespace {

struct CategoryName {
  Category c;
  const char* key;
  const char* zh;
};
constexpr std::array<CategoryName, kCategoryCount> kCategories{{
    {Category::licensing, "licensing", "行政许可"},
    {Category::non_licensing_approval, "non_licensing_approval", "非行政许可审批"},
    {Category::penalty, "penalty", "行政处罚"},
    {Category::enforcement, "enforcement", "行政强制"},
    {Category::levy, "levy", "行政征收"},
    {Category::benefit, "benefit", "行政给付"},
    {Category::adjudication, "adjudication", "行政裁决"},
    {Category::confirmation, "confirmation", "行政确认"},
    {Category::reward, "reward", "行政奖励"},
    {Category::supervision, "supervision", "行政监督检查"},
    {Category::other, "other", "其他行政权力"},
    {Category::public_service, "public_service", "公共服务"},
}};

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, const char*>, N>& table, std::string_view s) {
  for (const auto& [e, k] : table)
    if (s == k) return e;
  return std::nullopt;
}
template <class E, std::size_t N>
const char* name_of(const std::array<std::pair<E, const char*>, N>& table, E e) {
  for (const auto& [v, k] : table)
    if (v == e) return k;
  return "";
}

constexpr std::array<std::pair<Level, const char*>, 4> kLevels{{
    {Level::province, "province"}, {Level::city, "city"}, {Level::county, "county"}, {Level::township, "township"}}};
constexpr std::array<std::pair<MaterialForm, const char*>, 4> kForms{{
    {MaterialForm::original, "original"}, {MaterialForm::copy, "copy"},
    {MaterialForm::original_and_copy, "original_and_copy"}, {MaterialForm::electronic, "electronic"}}};
constexpr std::array<std::pair<FieldType, const char*>, 7> kFieldTypes{{
    {FieldType::text, "text"}, {FieldType::multiline, "multiline"}, {FieldType::number, "number"},
    {FieldType::date, "date"}, {FieldType::phone, "phone"}, {FieldType::id_number, "id_number"},
    {FieldType::select, "select"}}};

}  // namespace

std::optional<Category> parse_category(std::string_view s) {
  for (const auto& c : kCategories)
    if (s == c.key) return c.c;
  return std::nullopt;
}
const char* category_key(Category c) { return kCategories[static_cast<std::size_t>(c)].key; }
const char* category_zh(Category c) { return kCategories[static_cast<std::size_t>(c)].zh; }

std::optional<Level> parse_level(std::string_view s) { return lookup(kLevels, s); }
const char* level_key(Level l) { return name_of(kLevels, l); }
std::optional<MaterialForm> parse_material_form(std::string_view s) { return lookup(kForms, s); }
const char* material_form_key(MaterialForm f) { return name_of(kForms, f); }
std::optional<FieldType> parse_field_type(std::string_view s) { return lookup(kFieldTypes, s); }
const char* field_type_key(FieldType t) { return name_of(kFieldTypes, t); }

const Field* Item::field(std::string_view key) const {
  for (const auto& f : form)
    if (f.key == key) return &f;
  return nullptr;
}

const Material* Item::material(std::string_view id) const {
  for (const auto& m : materials)
    if (m.id == id) return &m;
  return nullptr;
}

const Item* Catalog::find(std::string_view code) const {
  for (const auto& i : items)
    if (i.code == code) return &i;
  return nullptr;
}

}  // namespace bianmin::catalog
