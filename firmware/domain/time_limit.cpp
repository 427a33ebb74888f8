#include "domain/time_limit.h"

namespace bianmin::domain {

std::string time_limit_zh(int64_t working_days) {
  return working_days <= 0 ? "即办" : std::to_string(working_days) + "个工作日";
}

std::string time_limit_en(int64_t working_days) {
  if (working_days <= 0) return "immediately";
  return std::to_string(working_days) + (working_days == 1 ? " working day" : " working days");
}

}  // namespace bianmin::domain
