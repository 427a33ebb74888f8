// Masked forms of personal data, for receipts, screens that others can see,
// logs and audit entries. Full values never go to logs.
#pragma once

#include <string>
#include <string_view>

namespace bianmin::domain {

// 张三 → 张*, 欧阳娜娜 → 欧阳**, JOHN SMITH → J*** S****.
std::string mask_name(std::string_view name);
// 620702199003071234 → 620702********1234 (first 6 and last 4 visible).
std::string mask_id_number(std::string_view id);
// 13912345678 → 139****5678.
std::string mask_phone(std::string_view phone);

}  // namespace bianmin::domain
